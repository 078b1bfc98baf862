# Lab benchmark scenario (busybox ash inside the lab VM; run it with bench/lab/run.sh, which
# passes the variables below and the `spawntime` tool, and turns the results into figures).
#
# Topology: 3 access points (hostapd 2.10, WPA2-PSK): A wlan0 2.4 GHz ch 6, B wlan1 5 GHz
# ch 36/80 MHz, C wlan2 5 GHz ch 149/40 MHz; BENCH_STATIONS clients (64) spread over them.
#
# Clients, the cheap honest way: one hwsim radio per AP channel (wlan3 -> A, wlan4 -> B,
# wlan5 -> C), each carrying many station interfaces (`iw phy P interface add`; hwsim allows
# up to 2048 station interfaces per radio on one channel), each with its own MAC address, all
# driven by ONE wpa_supplicant per radio (`-N` per interface) inside one network namespace
# per radio. Every client is a real 802.11 association + WPA2 4-way handshake, so the APs'
# kernel station tables and hostapd's STA lists hold 64 real entries; what it saves over 64
# radios is 58 radios, 61 network namespaces and 61 wpa_supplicant processes.
#
# Measured, in this order (no other workload of the scenario runs meanwhile):
# 1. `roamer stations wlan0` vs `iw dev wlan0 station dump`, `roamer status wlan0` (also with
#    `--hostapd-conf`, which skips finding hostapd's configuration) vs `hostapd_cli -i wlan0
#    status`: BENCH_RUNS runs each, alternating (spawntime), for each roamer binary;
# 2. what the original script spawned per client per cycle: `iw dev wlan0 station get MAC`
#    and `hostapd_cli -i wlan0 sta MAC` (the same client program as its per-client
#    `req_beacon`, without making the client measure), BENCH_RUNS runs each; and `busybox
#    true`, the floor of any process spawn in this (emulated) VM;
# 3. `roamer run` managing the 3 BSSs (polling only: steer_all 0, band_steering 0), after
#    BENCH_SETTLE_S: its CPU over BENCH_DAEMON_S seconds (/proc/PID/schedstat, ns, and
#    /proc/PID/stat utime+stime) and VmRSS / VmHWM (/proc/PID/status), for each binary.
# Every figure is emitted as `@@ spawn ...` / `@@ result name=... ...`.

RUNS=${BENCH_RUNS:-30}
N=${BENCH_STATIONS:-64}
DAEMON_S=${BENCH_DAEMON_S:-60}
SETTLE_S=${BENCH_SETTLE_S:-15}
POLL_MS=${BENCH_POLL_MS:-1000}
PSK=${BENCH_PSK:?BENCH_PSK (64 hex digits, PBKDF2 of labpassphrase/labnet) is required}

lab_radios 6
lab_ap A iface=wlan0 band=2g channel=6 || exit 1
lab_ap B iface=wlan1 band=5g channel=36 width=80 || exit 1
lab_ap C iface=wlan2 band=5g channel=149 width=40 || exit 1

# bench_clients RADIO AP COUNT: COUNT station interfaces on radio wlanRADIO, all for AP.
bench_clients() {
  local r=$1 ap=$2 count=$3 phy nspid i name conf args
  phy=$(cat "/sys/class/net/wlan$r/phy80211/name")
  conf=$LAB_STATE/clients$r.conf
  {
    echo "ctrl_interface=$LAB_WPAS_CTRL"
    echo "network={"
    echo "  ssid=\"labnet\""
    echo "  key_mgmt=WPA-PSK"
    echo "  psk=$PSK"
    echo "  bssid=$(lab_get "$ap" bssid)"
    echo "  scan_freq=$(lab_get "$ap" freq)"
    echo "}"
  } >"$conf"
  args="-i wlan$r -c $conf"
  i=1
  while [ "$i" -lt "$count" ]; do
    name="c${r}x$i"
    iw phy "$phy" interface add "$name" type managed || return 1
    ip link set dev "$name" address "$(printf '02:%02x:00:00:%02x:00' $((16 + r)) "$i")" || return 1
    args="$args -N -i $name -c $conf"
    i=$((i + 1))
  done
  unshare -n sleep 1000000 &
  nspid=$!
  echo "$nspid" >"$LAB_STATE/clients$r.ns"
  iw phy "$phy" set netns "$nspid" || return 1
  # shellcheck disable=SC2086
  nsenter -t "$nspid" -n wpa_supplicant -B -P "$LAB_STATE/clients$r.pid" \
    -f "$LAB_STATE/clients$r.log" $args
}

bench_associated() {
  local n=0 i c
  for i in wlan0 wlan1 wlan2; do
    c=$(iw dev "$i" station dump | grep -c '^Station')
    n=$((n + c))
  done
  echo "$n"
}

per=$((N / 3))
t0=$(lab_now)
bench_clients 3 A $((N - 2 * per)) || lab_fail clients-A "could not create the client interfaces"
bench_clients 4 B "$per" || lab_fail clients-B "could not create the client interfaces"
bench_clients 5 C "$per" || lab_fail clients-C "could not create the client interfaces"
lab_wait_for 240 sh -c "[ \$(iw dev wlan0 station dump | grep -c '^Station') -ge $((N - 2 * per)) ] &&
  [ \$(iw dev wlan1 station dump | grep -c '^Station') -ge $per ] &&
  [ \$(iw dev wlan2 station dump | grep -c '^Station') -ge $per ]"
assoc=$(bench_associated)
lab_result clients "want=$N" "associated=$assoc" "ms=$(($(lab_now) - t0))" \
  "wlan0=$(iw dev wlan0 station dump | grep -c '^Station')" \
  "wlan1=$(iw dev wlan1 station dump | grep -c '^Station')" \
  "wlan2=$(iw dev wlan2 station dump | grep -c '^Station')" \
  "hostapd_wlan0=$(hostapd_cli -i wlan0 list_sta 2>/dev/null | grep -c :)"
lab_assert_eq clients-associated "$assoc" "$N" || true

# spawn lines -> `@@ spawn label=... ...`
bench_spawn() {
  spawntime "$@" | while read -r kind rest; do
    # shellcheck disable=SC2086
    [ "$kind" = spawn ] && lab_out spawn $rest
  done
}

# The roamer binaries to measure: /bin/roamer (the stable static musl release build the lab
# builds) and, when bench/lab/run.sh passed it, /opt/bin/roamer-router (tests/cross/router.sh:
# the build that goes onto an access point's flash).
ROAMERS="/bin/roamer"
[ ! -x /opt/bin/roamer-router ] || ROAMERS="$ROAMERS /opt/bin/roamer-router"
for b in $ROAMERS; do
  lab_result binary "path=$b" "bytes=$(wc -c <"$b")"
done
conf_a=$LAB_STATE/A/hostapd.conf

# 1. one-shot commands, alternating
lab_mark cli-start
set --
for b in $ROAMERS; do
  v=$(basename "$b")
  set -- "$@" -- "$v-stations" "$b" stations wlan0
done
set -- "$@" -- iw-station-dump iw dev wlan0 station dump
for b in $ROAMERS; do
  v=$(basename "$b")
  set -- "$@" -- "$v-status" "$b" status wlan0 -- "$v-status-conf" "$b" status wlan0 --hostapd-conf "$conf_a"
done
set -- "$@" -- hostapd_cli-status hostapd_cli -i wlan0 status
bench_spawn "$RUNS" "$@"
# the outputs once, for the record (do both see every client?)
roamer stations wlan0 >/tmp/roamer-stations.txt 2>&1
iw dev wlan0 station dump >/tmp/iw-dump.txt 2>&1
roamer status wlan0 >/tmp/roamer-status.txt 2>&1
hostapd_cli -i wlan0 status >/tmp/hostapd-status.txt 2>&1
lab_result cli-rows "roamer_stations=$(grep -c '^02:' /tmp/roamer-stations.txt)" \
  "iw_stations=$(grep -c '^Station' /tmp/iw-dump.txt)"
lab_file roamer-stations.txt /tmp/roamer-stations.txt
lab_file roamer-status.txt /tmp/roamer-status.txt

# 2. the original script's per-client, per-cycle spawns
mac=$(iw dev wlan0 station dump | awk '$1 == "Station" { print $2; exit }')
lab_mark script-start
bench_spawn "$RUNS" -- iw-station-get iw dev wlan0 station get "$mac" \
  -- hostapd_cli-sta hostapd_cli -i wlan0 sta "$mac" -- busybox-true busybox true

# 3. the daemon, each binary in turn
mkdir -p /lab/files/cfg
cat >/lab/files/cfg/bench <<EOF
config roamer 'main'
	list iface 'wlan0'
	list iface 'wlan1'
	list iface 'wlan2'
	option poll_interval_ms '$POLL_MS'
	option log_level 'info'
	option steer_all '0'
	option band_steering '0'
EOF
lab_assert check-config roamer check-config /lab/files/cfg/bench
# schedstat: ns on CPU; stat fields 14/15: utime/stime in clock ticks
cpu_ns() { cut -d' ' -f1 "/proc/$rpid/schedstat"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$rpid/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$rpid/stat"; }
vm() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$rpid/status"; }
for b in $ROAMERS; do
  v=$(basename "$b")
  lab_bg "$v" "$b" run --config /lab/files/cfg/bench
  rpid=$(cat "$LAB_STATE/$v/pid")
  sleep "$SETTLE_S"
  lab_assert "$v-running" lab_running "$v"
  rss_settled=$(vm VmRSS)
  s0=$(cpu_ns)
  k0=$(cpu_ticks)
  y0=$(sys_ticks)
  m0=$(lab_now)
  lab_mark "$v-measure-start"
  sleep "$DAEMON_S"
  s1=$(cpu_ns)
  k1=$(cpu_ticks)
  y1=$(sys_ticks)
  m1=$(lab_now)
  lab_mark "$v-measure-end"
  lab_result daemon "binary=$v" "pid=$rpid" "poll_ms=$POLL_MS" "period_ms=$((m1 - m0))" \
    "cpu_ns=$((s1 - s0))" "cpu_ticks=$((k1 - k0))" "sys_ticks=$((y1 - y0))" "clk_tck=100" \
    "clients=$(bench_associated)" "bss=3" \
    "vmrss_kb=$(vm VmRSS)" "vmhwm_kb=$(vm VmHWM)" "rss_settled_kb=$rss_settled" \
    "rss_anon_kb=$(vm RssAnon)" "rss_file_kb=$(vm RssFile)" "rss_shmem_kb=$(vm RssShmem)" \
    "vmdata_kb=$(vm VmData)" "vmstk_kb=$(vm VmStk)" "vmexe_kb=$(vm VmExe)" "threads=$(vm Threads)"
  cp "/proc/$rpid/smaps" "/tmp/$v.smaps" 2>/dev/null && lab_file "$v.smaps" "/tmp/$v.smaps"
  "$b" state --config /lab/files/cfg/bench >"/tmp/$v-state.txt" 2>&1
  lab_file "$v-state.txt" "/tmp/$v-state.txt"
  lab_stop "$v"
  lab_assert "$v-clean-exit" test "$(lab_status "$v")" = 0
done
# for comparison: the processes around it
for p in $(cat "$LAB_STATE"/A/hostapd.pid "$LAB_STATE"/B/hostapd.pid "$LAB_STATE"/C/hostapd.pid 2>/dev/null); do
  lab_result hostapd-rss "pid=$p" "vmrss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status")"
done
