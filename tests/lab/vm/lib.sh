# The lab's scenario library, sourced inside the VM (busybox ash) before every scenario.
# Documented in tests/lab/README.md. Conventions:
#   - NAMEs are short words ([A-Za-z0-9_-]); the state of each lives in /run/lab/NAME/.
#   - Options are key=value words; unknown keys of lab_ap are written to hostapd.conf as they are.
#   - Structured output goes to the lab channel as lines `@@ KIND key=value ...` (values are
#     %-encoded: % space tab CR LF); everything else is console noise.
# shellcheck shell=sh disable=SC3043

LAB_STATE=/run/lab
LAB_HAPD_CTRL=/var/run/hostapd
LAB_WPAS_CTRL=/var/run/wpa_supplicant
LAB_OUT_FD=${LAB_OUT_FD:-9}
mkdir -p "$LAB_STATE" "$LAB_HAPD_CTRL" "$LAB_WPAS_CTRL"

# ---------------------------------------------------------------------------------------------
# Output

# %-encode stdin (whole input, newlines included) into one word.
lab_enc() {
  awk '{ gsub(/%/, "%25"); gsub(/ /, "%20"); gsub(/\t/, "%09"); gsub(/\r/, "%0D");
         printf "%s%s", (NR > 1 ? "%0A" : ""), $0 }'
}

# lab_out KIND key=value ...: one structured line. Values may contain anything.
lab_out() {
  local kind=$1 line kv k v
  shift
  line="@@ $kind"
  for kv in "$@"; do
    k=${kv%%=*}
    if [ "$k" = "$kv" ]; then
      line="$line $k"
      continue
    fi
    v=${kv#*=}
    case $v in
      *[%\ \	]* | *'
'*) v=$(printf '%s' "$v" | lab_enc) ;;
    esac
    line="$line $k=$v"
  done
  printf '%s\n' "$line" >&"$LAB_OUT_FD"
  printf '%s\n' "$line" >/dev/console
}

# lab_log MSG...: a console line with a timestamp (not structured output).
lab_log() { echo "[$(lab_now)] $*" >/dev/console; }

# lab_result NAME key=value ...: a named result for the test to read.
lab_result() {
  local n=$1
  shift
  lab_out result "name=$n" "$@"
}

# lab_file NAME PATH: copy a file out (base64 chunks, joined by the reader).
lab_file() {
  local n=$1 p=$2 chunk
  if [ ! -f "$p" ]; then
    lab_out file "name=$n" missing=1
    return 1
  fi
  lab_out file "name=$n" "bytes=$(wc -c <"$p")"
  base64 "$p" | while read -r chunk; do
    printf '@@ chunk name=%s b64=%s\n' "$n" "$chunk" >&"$LAB_OUT_FD"
  done
}

# ---------------------------------------------------------------------------------------------
# Time and waiting

# Milliseconds since boot.
lab_now() {
  awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}

# lab_mark NAME: a timestamped marker in the output (`@@ mark name=NAME t=MS`).
lab_mark() { lab_out mark "name=$1" "t=$(lab_now)"; }

# lab_wait_for TIMEOUT_S CMD...: run CMD every 0.2 s until it succeeds; 1 on timeout.
lab_wait_for() {
  local deadline
  deadline=$(($(lab_now) + $1 * 1000))
  shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    [ "$(lab_now)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# lab_not CMD...: succeeds if CMD fails (for lab_wait_for / lab_expect; lib functions are not
# visible inside `sh -c`, so negate with this instead of `sh -c '! ...'`).
lab_not() { ! "$@"; }

# lab_after SECS CMD...: run CMD (a lib function too) SECS seconds from now, in the background,
# while the scenario goes on (timed actions: `lab_after 10 lab_txpower ap A 500`). Emits
# `@@ mark name=after-CMD t=...` when it fires.
lab_after() {
  local s=$1
  shift
  (
    sleep "$s"
    lab_mark "after-$1"
    "$@"
  ) </dev/null &
}

# ---------------------------------------------------------------------------------------------
# Assertions (each emits `@@ assert name=N ok=0|1 detail=...`; failures are counted for `@@ end`)

lab_assert_record() {
  local n=$1 ok=$2 detail=$3
  echo 1 >>"$LAB_STATE/.asserts"
  [ "$ok" = 1 ] || echo "$n" >>"$LAB_STATE/.failed"
  lab_out assert "name=$n" "ok=$ok" "t=$(lab_now)" "detail=$detail"
}

# lab_assert NAME CMD...: ok if CMD exits 0; detail = the end of its output.
lab_assert() {
  local n=$1 out rc
  shift
  out=$("$@" 2>&1)
  rc=$?
  out=$(printf '%s' "$out" | tail -c 300)
  if [ $rc = 0 ]; then lab_assert_record "$n" 1 "$out"; else lab_assert_record "$n" 0 "exit=$rc $out"; fi
  return $rc
}

# lab_assert_eq NAME ACTUAL EXPECTED
lab_assert_eq() {
  if [ "$2" = "$3" ]; then
    lab_assert_record "$1" 1 "$2"
  else
    lab_assert_record "$1" 0 "got '$2' want '$3'"
    return 1
  fi
}

# lab_assert_match NAME TEXT PATTERN: ok if TEXT has a line matching the grep -E PATTERN.
lab_assert_match() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then
    lab_assert_record "$1" 1 "$(printf '%s\n' "$2" | grep -E -- "$3" | head -n 3)"
  else
    lab_assert_record "$1" 0 "no match for /$3/ in: $(printf '%s' "$2" | tail -c 300)"
    return 1
  fi
}

# lab_expect NAME TIMEOUT_S CMD...: ok if CMD succeeds within the timeout.
lab_expect() {
  local n=$1 t=$2 t0
  shift 2
  t0=$(lab_now)
  if lab_wait_for "$t" "$@"; then
    lab_assert_record "$n" 1 "after $(($(lab_now) - t0)) ms"
  else
    lab_assert_record "$n" 0 "timeout ${t}s: $* -> $("$@" 2>&1 | tail -c 200)"
    return 1
  fi
}

# lab_rc CMD...: runs CMD, prints "rc=N" then its stdout and its stderr after "STDERR:" (to
# assert on the exit code and both outputs with lab_assert_match).
lab_rc() {
  local o e r
  o=$("$@" 2>/tmp/rc.err)
  r=$?
  e=$(cat /tmp/rc.err)
  printf 'rc=%s\n%s\nSTDERR:%s\n' "$r" "$o" "$e"
}

# lab_fail NAME MSG: a failed assertion.
lab_fail() { lab_assert_record "$1" 0 "$2"; }

# lab_assert_checks FILE: one assertion per `CHECK NAME ok|FAIL DETAIL` line of FILE (the
# output format of the crates' labcheck examples, run in the VM).
lab_assert_checks() {
  local tag name res detail
  while read -r tag name res detail; do
    [ "$tag" = CHECK ] || continue
    if [ "$res" = ok ]; then
      lab_assert_record "$name" 1 "$detail"
    else
      lab_assert_record "$name" 0 "$detail"
    fi
  done <"$1"
}

# ---------------------------------------------------------------------------------------------
# Radios

# lab_radios N: load mac80211_hwsim with N radios (wlan0..wlanN-1, phyK has MAC 02:00:00:00:KK:00).
# Called automatically with 8 radios by the first helper that needs one.
lab_radios() {
  local n=${1:-8}
  if [ -d /sys/module/mac80211_hwsim ]; then
    return 0
  fi
  insmod /lib/modules/mac80211_hwsim.ko radios="$n" || return 1
  lab_wait_for 10 test -e "/sys/class/net/wlan$((n - 1))"
  echo "$n" >"$LAB_STATE/.radios"
}

# MAC of hwsim radio of wlanN (02:00:00:00:NN:00, NN in hex).
lab_radio_mac() {
  local idx=${1#wlan}
  printf '02:00:00:00:%02x:00\n' "$idx"
}

# ---------------------------------------------------------------------------------------------
# Access points

# Channel helpers for 5 GHz: HT40 secondary direction and VHT80 centre segment.
lab_5g_ht40() {
  local c=$1
  if [ "$c" -ge 149 ]; then c=$((c - 149)); else c=$((c - 36)); fi
  if [ $((c / 4 % 2)) = 0 ]; then echo '[HT40+]'; else echo '[HT40-]'; fi
}
lab_5g_seg0() {
  case $1 in
    36 | 40 | 44 | 48) echo 42 ;; 52 | 56 | 60 | 64) echo 58 ;;
    100 | 104 | 108 | 112) echo 106 ;; 116 | 120 | 124 | 128) echo 122 ;;
    132 | 136 | 140 | 144) echo 138 ;; 149 | 153 | 157 | 161) echo 155 ;;
    *) echo 0 ;;
  esac
}

lab_get() { cat "$LAB_STATE/$1/$2" 2>/dev/null; }
lab_iface() { lab_get "$1" iface; }

# lab_ap NAME iface=wlanN [band=2g|5g] [channel=C] [width=20|40|80] [ax=0|1]
#        [security=wpa2|open] [ft=0|1] [ssid=labnet] [passphrase=labpassphrase]
#        [txpower=mBm] [events=1] [wait=1] [hostapd_key=value ...]
# Writes /run/lab/NAME/hostapd.conf, starts hostapd, waits for state=ENABLED, sets tx power,
# and (events=1) logs every hostapd event (see lab_events_start). Emits `@@ ap ...`.
lab_ap() {
  local name=$1 iface="" band=2g channel="" width=20 ax=0 security=wpa2 ft=0 ssid=labnet
  local pass=labpassphrase txpower="" events=1 wait=1 extra="" kv d conf
  shift
  for kv in "$@"; do
    case $kv in
      iface=*) iface=${kv#*=} ;; band=*) band=${kv#*=} ;; channel=*) channel=${kv#*=} ;;
      width=*) width=${kv#*=} ;; ax=*) ax=${kv#*=} ;; security=*) security=${kv#*=} ;;
      ft=*) ft=${kv#*=} ;; ssid=*) ssid=${kv#*=} ;; passphrase=*) pass=${kv#*=} ;;
      txpower=*) txpower=${kv#*=} ;; events=*) events=${kv#*=} ;; wait=*) wait=${kv#*=} ;;
      *=*) extra="$extra$kv
" ;;
      *) lab_fail "ap-$name-args" "bad option '$kv'"; return 1 ;;
    esac
  done
  [ -n "$iface" ] || { lab_fail "ap-$name-args" "iface= is required"; return 1; }
  lab_radios
  d=$LAB_STATE/$name
  mkdir -p "$d"
  conf=$d/hostapd.conf
  echo ap >"$d/kind"
  echo "$iface" >"$d/iface"
  lab_radio_mac "$iface" >"$d/bssid"
  {
    echo "driver=nl80211"
    echo "interface=$iface"
    echo "ctrl_interface=$LAB_HAPD_CTRL"
    echo "ssid=$ssid"
    echo "country_code=US"
    echo "ieee80211d=1"
    echo "rrm_neighbor_report=1"
    echo "rrm_beacon_report=1"
    echo "bss_transition=1"
    echo "nas_identifier=$name"
    case $band in
      2g)
        echo "hw_mode=g"
        echo "channel=${channel:-1}"
        echo "ieee80211n=1"
        if [ "$width" = 40 ]; then
          if [ "${channel:-1}" -le 7 ]; then echo 'ht_capab=[HT40+]'; else echo 'ht_capab=[HT40-]'; fi
        fi
        ;;
      5g)
        channel=${channel:-36}
        echo "hw_mode=a"
        echo "channel=$channel"
        echo "ieee80211n=1"
        echo "ieee80211ac=1"
        [ "$width" = 20 ] || echo "ht_capab=$(lab_5g_ht40 "$channel")"
        if [ "$width" = 80 ]; then
          echo "vht_oper_chwidth=1"
          echo "vht_oper_centr_freq_seg0_idx=$(lab_5g_seg0 "$channel")"
        fi
        if [ "$ax" = 1 ]; then
          echo "ieee80211ax=1"
          if [ "$width" = 80 ]; then
            echo "he_oper_chwidth=1"
            echo "he_oper_centr_freq_seg0_idx=$(lab_5g_seg0 "$channel")"
          fi
        fi
        ;;
      *) echo "# unknown band $band" ;;
    esac
    case $security in
      wpa2)
        echo "wpa=2"
        echo "wpa_passphrase=$pass"
        echo "rsn_pairwise=CCMP"
        if [ "$ft" = 1 ]; then
          echo "wpa_key_mgmt=WPA-PSK FT-PSK"
          echo "mobility_domain=e612"
          echo "ft_psk_generate_local=1"
        else
          echo "wpa_key_mgmt=WPA-PSK"
        fi
        ;;
      open) ;;
    esac
    printf '%s' "$extra"
  } >"$conf"
  echo "$txpower" >"$d/txpower"
  echo "$events" >"$d/events"
  lab_hostapd_start "$name" "$wait"
}

# lab_hostapd_start NAME [wait=1]: (re)start hostapd with NAME's config.
lab_hostapd_start() {
  local name=$1 wait=${2:-1} d=$LAB_STATE/$1 iface txp rc=0
  iface=$(lab_iface "$name")
  rm -f "$d/hostapd.pid"
  hostapd -B -t -P "$d/hostapd.pid" -f "$d/hostapd.log" "$d/hostapd.conf" >>"$d/hostapd.out" 2>&1
  if [ "$wait" = 1 ]; then
    if ! lab_wait_for 30 lab_ap_enabled "$name"; then
      lab_fail "ap-$name-enabled" "hostapd on $iface not ENABLED: $(lab_hostapd "$name" status | grep state=) $(tail -n 5 "$d/hostapd.log" "$d/hostapd.out" 2>/dev/null)"
      rc=1
    fi
  fi
  txp=$(cat "$d/txpower" 2>/dev/null)
  [ -z "$txp" ] || iw dev "$iface" set txpower fixed "$txp"
  [ "$(cat "$d/events" 2>/dev/null)" != 1 ] || lab_events_start "$name"
  lab_hostapd "$name" status 2>/dev/null | sed -n 's/^freq=//p' >"$d/freq"
  lab_out ap "name=$name" "iface=$iface" "bssid=$(lab_get "$name" bssid)" "freq=$(cat "$d/freq")" \
    "state=$(lab_ap_state "$name")" "pid=$(cat "$d/hostapd.pid" 2>/dev/null)"
  return $rc
}

# lab_hostapd NAME CMD...: hostapd_cli for NAME's interface (prints the reply).
lab_hostapd() {
  local name=$1
  shift
  hostapd_cli -p "$LAB_HAPD_CTRL" -i "$(lab_iface "$name")" "$@"
}

lab_ap_state() { lab_hostapd "$1" status 2>/dev/null | sed -n 's/^state=//p'; }
lab_ap_enabled() { [ "$(lab_ap_state "$1")" = ENABLED ]; }

# lab_hostapd_kill NAME [SIGNAL]: stop NAME's hostapd (default TERM) and wait for it to exit.
lab_hostapd_kill() {
  local name=$1 sig=${2:-TERM} pid
  pid=$(lab_get "$name" hostapd.pid)
  [ -n "$pid" ] || return 0
  kill "-$sig" "$pid" 2>/dev/null
  lab_wait_for 30 sh -c "! kill -0 $pid 2>/dev/null"
  rm -f "$LAB_STATE/$name/hostapd.pid"
  kill "$(lab_get "$name" events.pid)" 2>/dev/null
  rm -f "$LAB_STATE/$name/events.pid"
  # A killed hostapd leaves its socket file behind; hostapd removes it on its next start.
  lab_out hostapd "name=$name" action=killed "signal=$sig" "pid=$pid"
}

# lab_hostapd_restart NAME [SIGNAL]: kill (default TERM) and start again, wait for ENABLED.
lab_hostapd_restart() {
  lab_hostapd_kill "$1" "${2:-TERM}"
  lab_hostapd_start "$1"
}

# lab_events_start NAME: log hostapd events of AP NAME to /run/lab/NAME/events
# (one line each: `MS EVENT ARGS...`); lab_hostapd_kill stops it, lab_hostapd_start starts
# a new one (hostapd_cli -r does not attach again after a restart).
# The events file is /run/lab/ev-IFACE (lab_events_file NAME).
lab_events_start() {
  local name=$1 d=$LAB_STATE/$1 pid
  pid=$(cat "$d/events.pid" 2>/dev/null)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  hostapd_cli -p "$LAB_HAPD_CTRL" -i "$(lab_iface "$name")" -a /lab/bin/evlog >/dev/null 2>&1 &
  pid=$!
  echo "$pid" >"$d/events.pid"
  # Events before the logger is attached are lost (a station that connects right after
  # lab_ap): wait until hostapd_cli has opened its control socket (in action mode its only
  # one; it sends ATTACH on it right away and waits for the OK), however slow the machine is.
  lab_wait_for 10 lab_events_sockets "$pid" 1
}

# lab_events_sockets PID N: process PID has at least N sockets open.
lab_events_sockets() {
  [ "$(ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:')" -ge "$2" ]
}

# lab_events NAME: the events logged so far for AP NAME.
lab_events() { cat "$(lab_events_file "$1")" 2>/dev/null; }
lab_events_file() { echo "$LAB_STATE/ev-$(lab_iface "$1")"; }

# lab_wait_event NAME TIMEOUT_S PATTERN: wait for an event line matching grep -E PATTERN
# (only events after the last lab_events_mark); prints the first matching line.
lab_events_mark() {
  local f
  f=$(lab_events_file "$1")
  touch "$f"
  wc -l <"$f" | tr -d ' ' >"$LAB_STATE/$1/events.mark"
}
lab_events_since() {
  local m
  m=$(cat "$LAB_STATE/$1/events.mark" 2>/dev/null)
  tail -n "+$((${m:-0} + 1))" "$(lab_events_file "$1")" 2>/dev/null
}
lab_wait_event() {
  local name=$1 t=$2 pat=$3
  if lab_wait_for "$t" lab_events_since_match "$name" "$pat"; then
    lab_events_since "$name" | grep -E -- "$pat" | head -n 1
    return 0
  fi
  return 1
}

lab_events_since_match() { lab_events_since "$1" | grep -Eq -- "$2"; }

# lab_events_match NAME PATTERN: some event logged so far for AP NAME matches grep -E PATTERN.
# The logger writes each event through a forked action script, a moment after hostapd sent
# it (and after roamer or wpa_supplicant may already have acted on it): poll this
# (lab_expect / lab_wait_for) rather than reading lab_events once.
lab_events_match() { lab_events "$1" | grep -Eq -- "$2"; }

# lab_show_neighbor NAME: hostapd's neighbor table of AP NAME (SHOW_NEIGHBOR).
lab_show_neighbor() { lab_hostapd "$1" show_neighbor; }
# lab_own_nr NAME: the nr= hex of hostapd's own entry in AP NAME's table.
lab_own_nr() { lab_show_neighbor "$1" | sed -n "s/^$(lab_get "$1" bssid) ssid=[0-9a-f]* nr=\([0-9a-f]*\).*/\1/p"; }
# lab_table_has NAME BSSID NR: AP NAME's table has BSSID with SSID labnet (the lab's default,
# hex 6c61626e6574) and exactly the neighbor report NR.
lab_table_has() { lab_show_neighbor "$1" | grep -q "^$2 ssid=6c61626e6574 nr=$3\$"; }

# lab_ap_sta_dump NAME: `iw dev IFACE station dump` of AP NAME.
lab_ap_sta_dump() { iw dev "$(lab_iface "$1")" station dump; }

# lab_ap_sta_signal AP STA: the `signal:` value (dBm) AP's kernel has for station STA.
lab_ap_sta_signal() {
  iw dev "$(lab_iface "$1")" station get "$(lab_get "$2" mac)" 2>/dev/null |
    awk '$1 == "signal:" { print $2; exit }'
}

# ---------------------------------------------------------------------------------------------
# Stations

# lab_sta NAME iface=wlanN [ssid=labnet] [security=wpa2|open] [ft=0|1] [bssid=..]
#         [passphrase=labpassphrase] [txpower=mBm] [ping=SECONDS (1; 0 = no traffic)]
#         [scan_freq="F1 F2" | scan_freq=all] [wait=1] [debug=0|1 (wpa_supplicant -d)]
#         [wpa_network_key=value ...]
# scan_freq defaults to the frequencies of the APs started so far (a full scan of both bands
# takes about 10 s in the emulated VM); scan_freq=all scans every channel.
# Moves wlanN's phy into a network namespace of its own, starts wpa_supplicant there
# (control socket /var/run/wpa_supplicant/wlanN, reachable from the root namespace), gives it
# an address and keeps it transmitting (so its signal at the AP refreshes), and (wait=1) waits
# up to 30 s for wpa_state=COMPLETED. Emits `@@ sta ...`.
lab_sta() {
  local name=$1 iface="" ssid=labnet security=wpa2 ft=0 bssid="" pass=labpassphrase txpower=""
  local ping=1 wait=1 extra="" kv d phy nspid idx rc=0 scan="" f debug=0 dflag=""
  shift
  for kv in "$@"; do
    case $kv in
      iface=*) iface=${kv#*=} ;; ssid=*) ssid=${kv#*=} ;; security=*) security=${kv#*=} ;;
      ft=*) ft=${kv#*=} ;; bssid=*) bssid=${kv#*=} ;; passphrase=*) pass=${kv#*=} ;;
      txpower=*) txpower=${kv#*=} ;; ping=*) ping=${kv#*=} ;; wait=*) wait=${kv#*=} ;;
      scan_freq=*) scan=${kv#*=} ;; debug=*) debug=${kv#*=} ;;
      *=*) extra="$extra  $kv
" ;;
      *) lab_fail "sta-$name-args" "bad option '$kv'"; return 1 ;;
    esac
  done
  [ -n "$iface" ] || { lab_fail "sta-$name-args" "iface= is required"; return 1; }
  lab_radios
  d=$LAB_STATE/$name
  mkdir -p "$d"
  echo sta >"$d/kind"
  echo "$iface" >"$d/iface"
  lab_radio_mac "$iface" >"$d/mac"
  phy=$(cat "/sys/class/net/$iface/phy80211/name")
  echo "$phy" >"$d/phy"
  unshare -n sleep 1000000 &
  nspid=$!
  echo "$nspid" >"$d/ns.pid"
  iw phy "$phy" set netns "$nspid"
  {
    echo "ctrl_interface=$LAB_WPAS_CTRL"
    echo "network={"
    echo "  ssid=\"$ssid\""
    if [ "$security" = open ]; then
      echo "  key_mgmt=NONE"
    else
      echo "  psk=\"$pass\""
      if [ "$ft" = 1 ]; then echo "  key_mgmt=WPA-PSK FT-PSK"; else echo "  key_mgmt=WPA-PSK"; fi
    fi
    [ -z "$bssid" ] || echo "  bssid=$bssid"
    if [ -z "$scan" ]; then
      for f in "$LAB_STATE"/*/freq; do [ ! -s "$f" ] || scan="$scan $(cat "$f")"; done
    fi
    if [ "$scan" != all ]; then
      # shellcheck disable=SC2086
      scan=$(printf '%s\n' $scan | sort -un | tr '\n' ' ')
      [ -z "${scan% }" ] || echo "  scan_freq=${scan% }"
    fi
    printf '%s' "$extra"
    echo "}"
  } >"$d/wpa_supplicant.conf"
  lab_ns "$name" ip link set lo up
  [ "$debug" = 0 ] || dflag=-d
  lab_ns "$name" wpa_supplicant -B -t $dflag -i "$iface" -c "$d/wpa_supplicant.conf" \
    -P "$d/wpa_supplicant.pid" -f "$d/wpa_supplicant.log"
  idx=${iface#wlan}
  lab_ns "$name" ip addr add "169.254.200.$((idx + 1))/16" dev "$iface"
  [ -z "$txpower" ] || lab_txpower sta "$name" "$txpower"
  if [ "$ping" != 0 ]; then
    # Unanswered pings still make the station transmit (ARP), which refreshes its signal.
    lab_ns "$name" sh -c "while :; do ping -c 1 -W 1 169.254.0.1 >/dev/null 2>&1; sleep $ping; done" &
    echo $! >"$d/ping.pid"
  fi
  if [ "$wait" = 1 ] && ! lab_wait_for 30 lab_sta_connected "$name"; then
    lab_fail "sta-$name-connected" "wpa_state=$(lab_sta_state "$name") $(tail -n 5 "$d/wpa_supplicant.log")"
    rc=1
  fi
  lab_out sta "name=$name" "iface=$iface" "mac=$(lab_get "$name" mac)" \
    "state=$(lab_sta_state "$name")" "bssid=$(lab_sta_bss "$name")"
  return $rc
}

# lab_ns NAME CMD...: run CMD in the network namespace of station NAME.
lab_ns() {
  local name=$1
  shift
  nsenter -t "$(lab_get "$name" ns.pid)" -n "$@"
}

# lab_wpa NAME CMD...: wpa_cli for station NAME.
lab_wpa() {
  local name=$1
  shift
  wpa_cli -p "$LAB_WPAS_CTRL" -i "$(lab_iface "$name")" "$@"
}

lab_sta_state() { lab_wpa "$1" status 2>/dev/null | sed -n 's/^wpa_state=//p'; }
lab_sta_connected() { [ "$(lab_sta_state "$1")" = COMPLETED ]; }
# lab_sta_newmac STA PREFIX N: STA disconnects, its interface takes the address
# PREFIX:<interface number>:00:<N high byte>:<N low byte> (PREFIX e.g. 02:aa), and it
# reconnects: a client the APs have never seen, for churn runs.
lab_sta_newmac() {
  local i
  i=$(lab_iface "$1")
  lab_wpa "$1" disconnect >/dev/null
  lab_ns "$1" ip link set "$i" down
  lab_ns "$1" ip link set "$i" address "$(printf '%s:%02x:00:%02x:%02x' "$2" "${i#wlan}" $(($3 / 256)) $(($3 % 256)))"
  lab_ns "$1" ip link set "$i" up
  lab_wpa "$1" reconnect >/dev/null
}

# lab_sta_bss NAME: BSSID station NAME is associated with (empty if not COMPLETED).
lab_sta_bss() {
  local s
  s=$(lab_wpa "$1" status 2>/dev/null)
  printf '%s\n' "$s" | grep -q '^wpa_state=COMPLETED' || return 0
  printf '%s\n' "$s" | sed -n 's/^bssid=//p'
}

# lab_sta_on NAME AP: true if station NAME is associated with AP NAME's BSSID.
lab_sta_on() { [ "$(lab_sta_bss "$1")" = "$(lab_get "$2" bssid)" ]; }

# lab_sta_pin NAME BSSID|any: restrict station NAME's network to one BSSID, or lift that.
lab_sta_pin() { lab_wpa "$1" set_network 0 bssid "$2" | grep -qx OK; }

# lab_sta_link NAME: `iw dev IFACE link` inside the station's namespace.
lab_sta_link() { lab_ns "$1" iw dev "$(lab_iface "$1")" link; }

# lab_sta_traffic NAME [COUNT]: send COUNT (3) pings from station NAME right now.
lab_sta_traffic() {
  local i=0
  while [ $i -lt "${2:-3}" ]; do
    lab_ns "$1" ping -c 1 -W 1 169.254.0.1 >/dev/null 2>&1
    i=$((i + 1))
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# Actions

# lab_txpower ap|sta NAME mBm|auto: set the transmit power of an AP or a station.
# Signal heard from a radio = its tx power in dBm - 50 (hwsim in 6.1).
lab_txpower() {
  local kind=$1 name=$2 p=$3 iface
  iface=$(lab_iface "$name")
  if [ "$p" = auto ]; then set -- iw dev "$iface" set txpower auto; else
    set -- iw dev "$iface" set txpower fixed "$p"
  fi
  if [ "$kind" = sta ]; then lab_ns "$name" "$@"; else "$@"; fi
  local rc=$?
  [ "$kind" = sta ] || echo "$p" >"$LAB_STATE/$name/txpower"
  lab_out action "name=$name" "kind=$kind" act=txpower "mbm=$p" "rc=$rc" "t=$(lab_now)"
  return $rc
}

# lab_ifdown NAME / lab_ifup NAME: bring the AP's or station's interface down / up.
lab_ifdown() { lab_ifset "$1" down; }
lab_ifup() { lab_ifset "$1" up; }
lab_ifset() {
  local iface rc
  iface=$(lab_iface "$1")
  if [ "$(lab_get "$1" kind)" = sta ]; then lab_ns "$1" ip link set "$iface" "$2"; else
    ip link set "$iface" "$2"
  fi
  rc=$?
  lab_out action "name=$1" "act=if$2" "rc=$rc" "t=$(lab_now)"
  return $rc
}

# ---------------------------------------------------------------------------------------------
# Processes: roamer and any other program (binaries from `run.sh --bin` are in /opt/bin)

# lab_bg NAME CMD...: run CMD in the background; output to /run/lab/NAME/log, exit status to
# /run/lab/NAME/status when it ends. Its log and status are reported at the end of the run.
lab_bg() {
  local name=$1 d=$LAB_STATE/$1
  shift
  mkdir -p "$d"
  echo proc >"$d/kind"
  rm -f "$d/status"
  printf '%s\n' "$*" >"$d/cmd"
  (
    "$@" >"$d/log" 2>&1 &
    echo $! >"$d/pid"
    wait $!
    echo $? >"$d/status"
  ) &
  lab_wait_for 20 test -s "$d/pid"
  lab_out proc "name=$name" action=started "pid=$(cat "$d/pid")" "cmd=$*" "t=$(lab_now)"
}

# lab_stop NAME [SIGNAL]: signal (TERM) a lab_bg process and wait up to 30 s for its status.
lab_stop() {
  local name=$1 sig=${2:-TERM} d=$LAB_STATE/$1
  kill "-$sig" "$(cat "$d/pid")" 2>/dev/null
  lab_wait_for 30 test -s "$d/status"
  lab_out proc "name=$name" action=stopped "signal=$sig" "status=$(cat "$d/status" 2>/dev/null)"
}

lab_running() { [ ! -s "$LAB_STATE/$1/status" ] && kill -0 "$(cat "$LAB_STATE/$1/pid" 2>/dev/null)" 2>/dev/null; }
lab_status() { cat "$LAB_STATE/$1/status" 2>/dev/null; }
lab_log_of() { cat "$LAB_STATE/$1/log" 2>/dev/null; }

# lab_roamer_start NAME CONFIG [ARGS...]: `roamer run --config CONFIG ARGS...` in the
# background (see lab_bg). CONFIG "-" reads the config from stdin into /run/lab/NAME/roamer.conf.
lab_roamer_start() {
  local name=$1 conf=$2
  shift 2
  if [ "$conf" = - ]; then
    mkdir -p "$LAB_STATE/$name"
    cat >"$LAB_STATE/$name/roamer.conf"
    conf=$LAB_STATE/$name/roamer.conf
  fi
  lab_bg "$name" roamer run --config "$conf" "$@"
}

# lab_cmd NAME CMD...: run CMD in the foreground; emits `@@ cmd name=NAME status=N` and the
# output as file NAME.out; the output is also printed (so $(lab_cmd ...) captures it).
lab_cmd() {
  local name=$1 rc d=$LAB_STATE/cmd
  shift
  mkdir -p "$d"
  "$@" >"$d/$name.out" 2>&1
  rc=$?
  lab_out cmd "name=$name" "status=$rc" "cmd=$*" "t=$(lab_now)" >/dev/null
  lab_file "$name.out" "$d/$name.out" >/dev/null
  cat "$d/$name.out"
  return $rc
}

# ---------------------------------------------------------------------------------------------
# End of run (called by /init after the scenario)

lab_finish() {
  local status=$1 d n asserts failed
  for d in "$LAB_STATE"/*/; do
    n=$(basename "$d")
    [ "$(cat "$d/kind" 2>/dev/null)" = proc ] || continue
    if lab_running "$n"; then
      lab_out proc "name=$n" action=end running=1
    else
      lab_out proc "name=$n" action=end running=0 "status=$(cat "$d/status" 2>/dev/null)"
    fi
    lab_file "$n.log" "$d/log" >/dev/null
  done
  asserts=$(cat "$LAB_STATE/.asserts" 2>/dev/null | wc -l)
  failed=$(cat "$LAB_STATE/.failed" 2>/dev/null | wc -l)
  if [ "$status" != 0 ] || [ "$failed" != 0 ]; then
    for d in "$LAB_STATE"/*/; do
      for f in "$d"hostapd.log "$d"wpa_supplicant.log "$d"log; do
        [ -f "$f" ] || continue
        echo "----- $f (last 40 lines)"
        tail -n 40 "$f"
      done
    done
  fi
  lab_out end "status=$status" "asserts=$asserts" "failed=$failed" "t=$(lab_now)"
}
