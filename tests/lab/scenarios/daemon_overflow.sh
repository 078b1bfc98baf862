# roamer run when the kernel drops its nl80211 station events (ENOBUFS), and its memory under
# client churn (tests/lab_daemon_overflow.rs).
#
# Part 1, overflow. roamer (r) serves A2 (wlan0, 2.4 GHz) and A5 (wlan1, 5 GHz) with
# poll_interval_ms 60000, so between SIGCONT and the next periodic dump only event-driven paths
# (the ENOBUFS re-dump first of all) can correct its client list. r is frozen with SIGSTOP;
# stations reconnect until the kernel reports dropped datagrams on r's netlink sockets
# (/proc/net/netlink `Drops`); then, with r's buffer still full, s1 leaves and s5 joins (those
# events are dropped too); SIGCONT. r must count the loss in `roamer state --json`
# (`lost_event_resyncs`), log it once, keep running and list exactly the stations the kernel
# lists as authorized (`iw dev IFACE station dump`). Done twice (the second loss is counted,
# not logged again).
#
# Why the buffer is small here: r asks for SO_RCVBUF 262144 like hostapd; the kernel caps the
# request at net.core.rmem_max (212992) and doubles it: 425984 bytes, about 180 station events
# (one costs 2304 bytes: result `overflow` field `one_leave_bytes`), more than the emulated VM
# produces while r is stopped in reasonable time. So net.core.rmem_max is
# lowered to 4096 only while r opens its sockets (the kernel applies the cap at setsockopt
# time; r's request becomes 8192 bytes, a handful of events), then restored for everything
# else. roamer's code and its request are unchanged.
#
# Part 2, memory. Both r and a second daemon (r2: the router build when the test passes one as
# /opt/bin/roamer-router, else the release build again, with the default 1 s polls) watch four
# stations that reconnect CYCLES times, each time with a MAC address never seen before (so the
# client table, capped at max_clients 16, keeps evicting). VmRSS and VmHWM (/proc/PID/status)
# are sampled after WARM cycles and at the end; results `mem_r` / `mem_r2`.

CYCLES=${CYCLES:-20}
WARM=${WARM:-4}

lab_radios 7
lab_ap A2 iface=wlan0 band=2g channel=6
lab_ap A5 iface=wlan1 band=5g channel=36
BSS_A2=$(lab_get A2 bssid)
BSS_A5=$(lab_get A5 bssid)
lab_sta s1 iface=wlan2 bssid="$BSS_A2"
lab_sta s2 iface=wlan3 bssid="$BSS_A5"
lab_sta s3 iface=wlan4 bssid="$BSS_A2"
lab_sta s4 iface=wlan5 bssid="$BSS_A5"

mkdir -p /lab/files/cfg
cat >/lab/files/cfg/r <<EOF
config roamer 'main'
	list iface 'wlan0'
	list iface 'wlan1'
	option run_dir '/run/roamer-r'
	option poll_interval_ms '60000'
	option forget_after_s '5'
	option max_clients '16'
	option dry_run '1'
EOF
cat >/lab/files/cfg/r2 <<EOF
config roamer 'main'
	list iface 'wlan0'
	list iface 'wlan1'
	option run_dir '/run/roamer-r2'
	option forget_after_s '5'
	option max_clients '16'
	option dry_run '1'
EOF

pid_of() { cat "$LAB_STATE/$1/pid"; }
# The inodes of process NAME's sockets, one per line.
sock_inodes() { ls -l "/proc/$(pid_of "$1")/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p'; }
# Sum of column $2 (5 Rmem, 9 Drops) of /proc/net/netlink over NAME's generic netlink sockets;
# with $3=count: how many there are.
nl_col() {
  awk -v inos=" $(sock_inodes "$1" | tr '\n' ' ') " -v col="$2" -v what="${3:-sum}" '
    NR > 1 && $2 == 16 && index(inos, " " $10 " ") { s += $col; n++ }
    END { print (what == "count" ? n + 0 : s + 0) }' /proc/net/netlink
}
nl_drops() { nl_col "$1" 9; }
nl_rmem() { nl_col "$1" 5; }
gt() { [ "$1" -gt "$2" ]; }
drops_above() { gt "$(nl_drops "$1")" "$2"; }
rmem_above() { gt "$(nl_rmem "$1")" "$2"; }
nl_socks_at_least() { [ "$(nl_col "$1" 9 count)" -ge "$2" ]; }

state_json() { timeout 5 roamer state --config "/lab/files/cfg/$1" --json; }
lost_of() { state_json "$1" | sed -n 's/.*"lost_event_resyncs":\([0-9]*\).*/\1/p'; }
lost_above() { local n; n=$(lost_of "$1"); [ -n "$n" ] && gt "$n" "$2"; }
# "MAC IFACE" of every client roamer lists on a radio, sorted.
view_of() {
  state_json "$1" | grep -o '"mac":"[^"]*","radio":"[^"]*"' |
    sed 's/"mac":"\([^"]*\)","radio":"\([^"]*\)"/\1 \2/' | sort
}
# "MAC IFACE" of every authorized station the kernel lists on the APs, sorted.
kernel_view() {
  for i in wlan0 wlan1; do
    iw dev "$i" station dump | awk -v i="$i" '$1 == "Station" { m = $2 } $1 == "authorized:" && $2 == "yes" { print m, i }'
  done | sort
}
# roamer's view equals the kernel's (and the kernel lists someone).
same_view() {
  local v k
  v=$(view_of "$1")
  k=$(kernel_view)
  printf 'roamer:\n%s\nkernel:\n%s\n' "$v" "$k" >"/tmp/view-$1"
  [ -n "$k" ] && [ "$v" = "$k" ]
}
kernel_has() { kernel_view | grep -q "^$1 "; }
view_has() { view_of "$1" | grep -qx "$2"; }
stopped() { [ "$(awk '{ print $3 }' "/proc/$(pid_of "$1")/stat")" = T ]; }
lost_lines() { grep -c 'station events lost' "$LAB_STATE/$1/log"; }

# flood NAME DROPS: s3 and s4 reconnect (a DEL_STATION and a NEW_STATION event each) until the
# kernel counts more than DROPS dropped datagrams on NAME's sockets (at most 10 rounds).
flood() {
  local i=0
  while [ $i -lt 10 ]; do
    lab_wpa s3 disconnect >/dev/null
    lab_wpa s4 disconnect >/dev/null
    sleep 0.5
    lab_wpa s3 reconnect >/dev/null
    lab_wpa s4 reconnect >/dev/null
    lab_wait_for 20 lab_sta_connected s3
    lab_wait_for 20 lab_sta_connected s4
    i=$((i + 1))
    if drops_above "$1" "$2"; then
      echo "$i rounds"
      return 0
    fi
  done
  return 1
}

# ------------------------------------------------------------------------ part 1: overflow
rmem_max=$(cat /proc/sys/net/core/rmem_max)
echo 4096 >/proc/sys/net/core/rmem_max
lab_roamer_start r /lab/files/cfg/r
# r opens its request socket and its event socket together: wait for both.
lab_expect r-netlink-sockets 15 nl_socks_at_least r 2
echo "$rmem_max" >/proc/sys/net/core/rmem_max
lab_result rmem rmem_max_default="$rmem_max" rmem_max_for_r=4096
lab_expect view-before 20 same_view r
lost0=$(lost_of r)
lab_assert_match lost-counter-in-json "$lost0" '^[0-9]+$'
S1=$(lab_get s1 mac)
S5=$(lab_radio_mac wlan6)
lab_assert view-before-has-s1 view_has r "$S1 wlan0"

# Episode 1: frozen while stations come and go.
kill -STOP "$(pid_of r)"
lab_expect r-frozen 5 stopped r
d0=$(nl_drops r)
# What one station leaving costs in r's receive buffer: s3 leaves (a DEL_STATION event).
lab_wpa s3 disconnect >/dev/null
lab_wait_for 10 rmem_above r 0
lab_wait_for 10 lab_not kernel_has "$(lab_get s3 mac)"
sleep 1
one_leave_bytes=$(nl_rmem r)
t0=$(lab_now)
rounds=$(flood r "$d0")
lab_assert_record overflowed "$([ -n "$rounds" ] && echo 1 || echo 0)" "kernel drops on r's sockets: $d0 -> $(nl_drops r) after ${rounds:-10 rounds (no drop)}"
d1=$(nl_drops r)
# With r's buffer still full, s1 leaves and s5 joins: their events are dropped as well.
lab_wpa s1 disconnect >/dev/null
lab_expect s1-left-kernel 15 lab_not kernel_has "$S1"
lab_sta s5 iface=wlan6 bssid="$BSS_A5"
lab_expect s5-joined-kernel 15 kernel_has "$S5"
lab_expect leave-join-dropped 10 drops_above r "$((d1 + 1))"
d2=$(nl_drops r)
lab_assert still-frozen stopped r
flood_ms=$(($(lab_now) - t0))
kill -CONT "$(pid_of r)"
t1=$(lab_now)
lab_expect lost-counted 20 lost_above r "$lost0"
lab_expect view-after 20 same_view r
view_ms=$(($(lab_now) - t1))
lab_file view-after /tmp/view-r >/dev/null
lab_assert s1-gone-from-view lab_not view_has r "$S1 wlan0"
lab_assert s5-in-view view_has r "$S5 wlan1"
lab_assert still-running-1 lab_running r
lab_assert_eq logged-once-1 "$(lost_lines r)" 1
lost1=$(lost_of r)
lab_result overflow one_leave_bytes="$one_leave_bytes" rounds="${rounds%% *}" drops_before="$d0" \
  drops_flood="$d1" drops_after_leave_join="$d2" lost_before="$lost0" lost_after="$lost1" \
  flood_ms="$flood_ms" view_ms="$view_ms"

# Episode 2: the same again; counted, not logged again.
lab_wpa s1 reconnect >/dev/null
lab_expect s1-back 30 lab_sta_connected s1
lab_expect view-before-2 20 same_view r
kill -STOP "$(pid_of r)"
lab_expect r-frozen-2 5 stopped r
d3=$(nl_drops r)
rounds2=$(flood r "$d3")
lab_assert_record overflowed-2 "$([ -n "$rounds2" ] && echo 1 || echo 0)" "kernel drops on r's sockets: $d3 -> $(nl_drops r) after ${rounds2:-10 rounds (no drop)}"
lab_wpa s1 disconnect >/dev/null
lab_expect s1-left-kernel-2 15 lab_not kernel_has "$S1"
kill -CONT "$(pid_of r)"
lab_expect lost-counted-2 20 lost_above r "$lost1"
lab_expect view-after-2 20 same_view r
lab_assert s1-gone-from-view-2 lab_not view_has r "$S1 wlan0"
lab_assert still-running-2 lab_running r
lab_assert_eq logged-once-2 "$(lost_lines r)" 1
lab_result overflow2 lost="$(lost_of r)" drops="$(nl_drops r)"
lab_wpa s1 reconnect >/dev/null
lab_wait_for 30 lab_sta_connected s1

# ------------------------------------------------------------------------ part 2: memory
if command -v roamer-router >/dev/null; then
  r2_bin=roamer-router
  r2_kind=router
else
  r2_bin=roamer
  r2_kind=release
fi
lab_bg r2 "$r2_bin" run --config /lab/files/cfg/r2
lab_expect r2-view 20 same_view r2

mem() { # NAME FIELD (VmRSS, VmHWM): kB
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$(pid_of "$1")/status"
}
# cycle N: every station leaves, takes a MAC address never used before (02:bb:..., set on its
# interface between connections), and comes back: four clients roamer has never seen.
STAS="s2 s3 s4 s5"
cycle() {
  local s
  for s in $STAS; do lab_sta_newmac "$s" 02:bb "$1"; done
  for s in $STAS; do lab_wait_for 30 lab_sta_connected "$s"; done
}
lab_events_mark A2
lab_events_mark A5
i=0
t2=$(lab_now)
while [ $i -lt "$WARM" ]; do cycle $i; i=$((i + 1)); done
lab_expect warm-view-r 20 same_view r || lab_file warm-view-r /tmp/view-r >/dev/null
lab_expect warm-view-r2 20 same_view r2 || lab_file warm-view-r2 /tmp/view-r2 >/dev/null
rss_r_warm=$(mem r VmRSS) hwm_r_warm=$(mem r VmHWM)
rss_r2_warm=$(mem r2 VmRSS) hwm_r2_warm=$(mem r2 VmHWM)
while [ $i -lt "$CYCLES" ]; do cycle $i; i=$((i + 1)); done
lab_expect end-view-r 20 same_view r || lab_file end-view-r /tmp/view-r >/dev/null
lab_expect end-view-r2 20 same_view r2 || lab_file end-view-r2 /tmp/view-r2 >/dev/null
churn_ms=$(($(lab_now) - t2))
rss_r_end=$(mem r VmRSS) hwm_r_end=$(mem r VmHWM)
rss_r2_end=$(mem r2 VmRSS) hwm_r2_end=$(mem r2 VmHWM)
seen=$({ lab_events_since A2; lab_events_since A5; } | awk '$2 ~ /AP-STA-CONNECTED$/ && $3 ~ /^02:bb:/ { print $3 }' | sort -u | wc -l)
tracked=$(state_json r2 | grep -o '"mac":' | wc -l)
lab_result churn cycles="$i" warm_cycles="$WARM" stations=4 distinct_connections="$seen" \
  churn_ms="$churn_ms" tracked_r2="$tracked" lost_r="$(lost_of r)" lost_r2="$(lost_of r2)"
lab_result mem_r binary=release rss_warm_kb="$rss_r_warm" rss_end_kb="$rss_r_end" \
  hwm_warm_kb="$hwm_r_warm" hwm_end_kb="$hwm_r_end" bytes="$(wc -c </bin/roamer)"
lab_result mem_r2 binary="$r2_kind" rss_warm_kb="$rss_r2_warm" rss_end_kb="$rss_r2_end" \
  hwm_warm_kb="$hwm_r2_warm" hwm_end_kb="$hwm_r2_end" bytes="$(wc -c <"$(command -v "$r2_bin")")"
lab_assert many-distinct-clients gt "$seen" $((4 * (CYCLES - 1)))
lab_assert tracked-bounded sh -c "[ $tracked -le 16 ]"
lab_assert still-running-r lab_running r
lab_assert still-running-r2 lab_running r2
lab_stop r TERM
lab_stop r2 TERM
lab_assert_eq r-exit-0 "$(lab_status r)" 0
lab_assert_eq r2-exit-0 "$(lab_status r2)" 0
