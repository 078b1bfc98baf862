# roamer events: attached before the station connects, prints decoded events (JSON lines and
# text), stops cleanly on SIGTERM/SIGINT (exit 0, DETACH, socket removed), and exits 1 when
# hostapd goes away. Also `decode event` on a line hostapd_cli's action script received.
lab_radios 4
lab_ap A iface=wlan0 band=5g channel=36 width=80
lab_bg evjson roamer events wlan0 --json
lab_bg evtext roamer events wlan0
# Both attached before the station starts (a fixed pause is too short on a slow machine):
# the text one says so once ATTACH is answered; the JSON one prints nothing, but it has
# bound its client socket (named after its pid) just before it sends ATTACH.
attached() { grep -q "attached to $1" "/run/lab/$2/log"; }
sock_of() { ls /tmp | grep -q "^roamer-$(cat "/run/lab/$1/pid")-"; }
lab_expect evtext-attached 20 attached wlan0 evtext
lab_expect evjson-socket 20 sock_of evjson
sleep 1
lab_sta s1 iface=wlan2 bssid="$(lab_get A bssid)"
lab_expect s1-on-A 20 lab_sta_on s1 A
sta=$(lab_get s1 mac)
roamer beacon-report wlan0 "$sta" >/dev/null
roamer beacon-report wlan0 "$sta" --op-class 128 --channel 36 >/dev/null 2>&1
lab_expect json-connected 10 sh -c "grep -q '\"event\":\"AP-STA-CONNECTED\",\"sta\":\"$sta\"' /run/lab/evjson/log"
lab_expect json-report 10 sh -c "grep -q '\"event\":\"BEACON-RESP-RX\",\"sta\":\"$sta\",\"token\":[0-9]*,\"mode\":0,\"mode_name\":\"accepted\"' /run/lab/evjson/log"
lab_expect json-refused 10 sh -c "grep -q '\"mode_name\":\"refused\"' /run/lab/evjson/log"
lab_expect text-connected 10 sh -c "grep -Eq '^[0-9:.]+ AP-STA-CONNECTED $sta' /run/lab/evtext/log"
lab_expect text-report 10 sh -c "grep -Eq '^[0-9:.]+ BEACON-RESP-RX $sta token=[0-9]+ mode=accepted bssid=' /run/lab/evtext/log"

# The action-script form of the same events decodes offline.
# (hostapd_cli -a writes each event through a forked script, possibly after roamer printed it)
lab_wait_for 20 lab_events_match A 'BEACON-RESP-RX'
line=$(grep -m1 'BEACON-RESP-RX' "$(lab_events_file A)" | cut -d' ' -f2-)
lab_result evlog line="$line"
lab_assert decode-logged-line roamer decode event "wlan0 $line"

# SIGTERM and SIGINT: exit 0, no client socket left, hostapd has no stale monitor.
lab_stop evjson TERM
lab_assert_eq json-exit-0 "$(lab_status evjson)" 0
lab_stop evtext INT
lab_assert_eq text-exit-0 "$(lab_status evtext)" 0
lab_assert_eq no-client-sockets-left "$(ls /tmp | grep -c '^roamer-')" 0

# hostapd goes away while attached: exit 1 with the reason.
lab_bg evgone roamer events wlan0
lab_expect evgone-attached 20 attached wlan0 evgone
lab_hostapd_kill A TERM
lab_expect gone-exits 15 sh -c 'test -s /run/lab/evgone/status'
lab_assert_eq gone-exit-1 "$(lab_status evgone)" 1
lab_result gone log="$(lab_log_of evgone)"
lab_assert_match gone-why "$(lab_log_of evgone)" 'roamer: wlan0: hostapd (terminated|is not running)'

# Not running / bad usage.
lab_assert_match events-no-hostapd "$(roamer events wlan0 2>&1; echo "rc=$?")" 'rc=1'
lab_assert_match events-bad-usage "$(roamer events 2>&1; echo "rc=$?")" 'rc=2'
