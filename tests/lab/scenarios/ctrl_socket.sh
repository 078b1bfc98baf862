# ctrl-proto's client sockets against the real hostapd 2.10 (tests/lab_ctrl.rs). Needs
# `--bin labcheck` (ctrl-proto/examples/labcheck.rs, built static). Every
# `CHECK name ok|FAIL detail` line labcheck prints becomes an `@@ assert`, so each check fails
# on its own. Two APs (A: 2.4 GHz channel 6, B: channel 11), one station s1 (on A).
#
# 1. basic    (no station yet) PING, STATUS vs hostapd_cli, STA-FIRST empty, unknown command,
#             SET/SHOW/REMOVE_NEIGHBOR with our own entry of B on A
# 2. events   ATTACHed under mio while s1 connects, disconnects, reconnects
# 3. sta      STA-FIRST/STA-NEXT/STA walk, REQ_BEACON token + its events on the event socket
# 4. stop     a request with a deadline against a SIGSTOPped hostapd
# 5. restart  hostapd killed (TERM, then KILL) and started again under open sockets
# Each mode checks its client socket files are unlinked; at the end every client dir is empty.

lab_radios 3
lab_ap A iface=wlan0 band=2g channel=6
lab_ap B iface=wlan1 band=2g channel=11
A=$(lab_get A bssid)
S1=$(lab_radio_mac wlan2)
lab_result facts a_bssid="$A" b_bssid="$(lab_get B bssid)" s1_mac="$S1"

# 1. basic: STATUS compared with what hostapd_cli prints (copied out for the host test too)
lab_hostapd A status >/tmp/hs-A.txt 2>&1
lab_hostapd B status >/tmp/hs-B.txt 2>&1
lab_file hs-A /tmp/hs-A.txt
lab_file hs-B /tmp/hs-B.txt
lab_cmd basic labcheck basic wlan0 wlan1 /tmp/hs-A.txt /tmp/hs-B.txt /tmp/cc-basic >/dev/null
lab_assert_eq basic-status "$?" 0
lab_assert_checks "$LAB_STATE/cmd/basic.out"
lab_hostapd A show_neighbor >/tmp/show-A.txt 2>&1
lab_file show-A /tmp/show-A.txt

# 2. events: s1 connects (first time), leaves and comes back
lab_bg ev labcheck events wlan0 "$S1" 60 /tmp/cc-ev
lab_wait_for 15 grep -q READY "$LAB_STATE/ev/log"
lab_sta s1 iface=wlan2 bssid="$A"
lab_expect s1-on-A 30 lab_sta_on s1 A
sleep 1
lab_wpa s1 disconnect >/dev/null
sleep 2
lab_wpa s1 reconnect >/dev/null
lab_expect s1-back-on-A 30 lab_sta_on s1 A
lab_wait_for 60 test -s "$LAB_STATE/ev/status"
lab_assert_checks "$LAB_STATE/ev/log"
lab_assert_eq events-status "$(lab_status ev)" 0

# 3. sta: station walk and a beacon measurement
lab_cmd sta labcheck sta wlan0 "$S1" "$A" /tmp/cc-sta >/dev/null
lab_assert_eq sta-status "$?" 0
lab_assert_checks "$LAB_STATE/cmd/sta.out"
lab_hostapd A all_sta >/tmp/all-sta.txt 2>&1
lab_file all-sta /tmp/all-sta.txt

# 4. stop: SIGSTOP / SIGCONT done by labcheck itself (hostapd's pid file)
lab_cmd stop labcheck stop wlan0 "$LAB_STATE/A/hostapd.pid" /tmp/cc-stop >/dev/null
lab_assert_eq stop-status "$?" 0
lab_assert_checks "$LAB_STATE/cmd/stop.out"
lab_assert hostapd-running-after-stop lab_ap_enabled A

# 5. restart: kill hostapd A (TERM, then KILL: its socket file is left behind) under open
#    sockets, start it again, cycle s1 for fresh events. NAME is the checks' prefix.
ap_has_s1() { lab_hostapd A sta "$S1" 2>/dev/null | grep -q '^flags=.*\[AUTHORIZED\]'; }
restart_case() {
  local name=$1 sig=$2
  mkdir -p "/tmp/$name"
  lab_bg "$name" labcheck restart "$name" wlan0 "$S1" "/tmp/$name" 120 "/tmp/cc-$name"
  lab_wait_for 15 grep -q READY-KILL "$LAB_STATE/$name/log"
  lab_hostapd_kill A "$sig"
  lab_result "$name-socket-file" left="$(test -S "$LAB_HAPD_CTRL/wlan0" && echo 1 || echo 0)"
  touch "/tmp/$name/killed"
  lab_wait_for 15 grep -q READY-START "$LAB_STATE/$name/log"
  lab_hostapd_start A
  touch "/tmp/$name/started"
  lab_wait_for 15 grep -q READY-EVENTS "$LAB_STATE/$name/log"
  # (after a KILL the station may still think it is associated: nudge it if needed)
  lab_wait_for 20 ap_has_s1 || lab_wpa s1 reassociate >/dev/null
  lab_expect "$name-s1-back" 40 ap_has_s1
  sleep 1
  lab_wpa s1 disconnect >/dev/null
  sleep 2
  lab_wpa s1 reconnect >/dev/null
  lab_expect "$name-s1-cycled" 30 ap_has_s1
  lab_wait_for 60 test -s "$LAB_STATE/$name/status"
  lab_assert_checks "$LAB_STATE/$name/log"
  lab_assert_eq "$name-status" "$(lab_status "$name")" 0
}
restart_case restart TERM
restart_case crash KILL

# every labcheck has exited: no client socket file is left anywhere
lab_assert_eq client-dirs-empty "$(ls -A /tmp/cc-basic /tmp/cc-ev /tmp/cc-sta /tmp/cc-stop /tmp/cc-restart /tmp/cc-crash 2>&1 | grep -v '^/tmp/cc-.*:$' | grep -v '^$')" ""
lab_assert client-dirs-exist test -d /tmp/cc-basic -a -d /tmp/cc-ev -a -d /tmp/cc-sta -a -d /tmp/cc-stop -a -d /tmp/cc-restart -a -d /tmp/cc-crash
