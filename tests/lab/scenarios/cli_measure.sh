# roamer stations / status / beacon-report against real hostapd + wpa_supplicant, including
# the refusals (unknown station, refused measurement) and bad input (exit codes 0/1/2).
lab_radios 6
lab_ap A iface=wlan0 band=5g channel=36 width=80
lab_ap B iface=wlan1 band=2g channel=6 txpower=500
lab_sta s1 iface=wlan2 bssid="$(lab_get A bssid)"
lab_expect s1-on-A 20 lab_sta_on s1 A
sta=$(lab_get s1 mac)

# Started early (it is checked at the end, so the client has time to find it):
# an AP without 802.11k: the client announces no RM capabilities, hostapd refuses
# REQ_BEACON; it has no neighbor table either (own-nr --check cannot compare).
# (hostapd's rrm_*=0 cannot undo an earlier =1: the lab's config lines are deleted instead.)
lab_ap N iface=wlan4 band=2g channel=1 ssid=norrm events=0
sed -i '/^rrm_/d' /run/lab/N/hostapd.conf
lab_hostapd_restart N
lab_sta s2 iface=wlan5 ssid=norrm wait=0
A=$(lab_get A bssid)
B=$(lab_get B bssid)


# --- stations: the kernel's dump, like iw
lab_sta_traffic s1 3
out=$(roamer stations wlan0)
lab_result stations text="$out" iw="$(iw dev wlan0 station dump)"
lab_assert_match stations-row "$out" "^$sta +-[0-9]+ +-[0-9]+ .*AUTHORIZED"
json=$(roamer stations wlan0 --json)
lab_assert_match stations-json "$json" "\"mac\":\"$sta\",\"signal\":-[0-9]+,\"signal_avg\":-[0-9]+"
iwsig=$(iw dev wlan0 station get "$sta" | awk '$1 == "signal:" { print $2; exit }')
lab_assert_match stations-signal-like-iw "$(roamer stations wlan0 --json)" "\"signal\":$iwsig,"
lab_assert_match stations-empty "$(lab_rc roamer stations wlan1)" '^rc=0$'
lab_assert_match stations-no-iface "$(lab_rc roamer stations nosuch0)" 'STDERR:roamer: nosuch0: no such network interface'
lab_assert_match stations-no-iface-rc "$(lab_rc roamer stations nosuch0)" '^rc=1$'
lab_assert_match stations-bad-name "$(lab_rc roamer stations 'a/b')" '^rc=2$'
lab_assert_match stations-not-wireless "$(lab_rc roamer stations lo)" 'rc=1'

# --- status with a station, and errors
lab_assert_match status-stations "$(roamer status wlan0 --json)" '"num_sta":1'
lab_assert_match status-no-hostapd "$(lab_rc roamer status wlan3)" 'STDERR:roamer: wlan3: hostapd is not running for wlan3'
lab_assert_match status-no-hostapd-rc "$(lab_rc roamer status wlan3)" '^rc=1$'
lab_assert_match status-no-iface "$(lab_rc roamer status nosuch0)" 'STDERR:roamer: nosuch0: no such interface'
lab_assert_match status-no-dir "$(lab_rc roamer status wlan0 --ctrl-dir /nonexistent)" 'no control directory /nonexistent'
# No permission: an unprivileged user cannot reach hostapd's 0770 control directory.
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null || echo 'nogroup:x:65534:' >>/etc/group
perm=$(su nobody -s /bin/sh -c 'TMPDIR=/tmp roamer status wlan0; echo "rc=$?"' 2>&1)
lab_result perm out="$perm"
lab_assert_match status-permission "$perm" 'permission denied'
lab_assert_match status-permission-rc "$perm" '^rc=1$'

# --- beacon-report: default = active, serving channel (20 MHz class 115, ch 36)
out=$(lab_rc roamer beacon-report wlan0 "$sta")
lab_result br-default out="$out"
lab_assert_match br-default-rc "$out" '^rc=0$'
# (the station reports the class of the BSS as it sees it: 128, VHT80)
lab_assert_match br-default-row "$out" "^$A +(115|128) +36 +166 +-27 +- +VHT +[0-9]+ +labnet"
json=$(roamer beacon-report wlan0 "$sta" --json)
lab_assert_match br-default-json "$json" "\"request\":\\{\"op_class\":115,\"channel\":36,\"mode\":\"active\",\"duration\":100,\"bssid\":\"ff:ff:ff:ff:ff:ff\""
lab_assert_match br-default-json-ok "$json" '"ok":true'

# passive on B's channel (given as --channel only: class 81 is derived). B transmits at
# 5 dBm, so the station hears it at -45 dBm = RCPI 130.
out=$(lab_rc roamer beacon-report wlan0 "$sta" --mode passive --channel 6 --duration 120)
lab_result br-passive out="$out"
lab_assert_match br-passive-row "$out" "^$B +81 +6 +130 +-45 +- +HT +[0-9]+ +labnet"
json=$(roamer beacon-report wlan0 "$sta" --mode passive --channel 6 --bssid "$B" --json)
lab_assert_match br-bssid-json "$json" "\"rcpi\":130,\"dbm\":-45"
lab_assert_match br-bssid-only "$(printf '%s' "$json" | grep -o '"bssid":"[^"]*"' | sort -u | tr '\n' ' ')" "^\"bssid\":\"$B\" \"bssid\":\"$B\" $|^\"bssid\":\"$B\" $"

# all channels of class 81 (--op-class without --channel = channel 0)
# (every channel of the class, one after the other: on a slow machine this takes seconds;
# the command returns as soon as the report is in, so a generous limit costs nothing)
out=$(lab_rc roamer beacon-report wlan0 "$sta" --op-class 81 --json --timeout 20)
lab_result br-class81 out="$out"
lab_assert_match br-class81 "$out" "\"bssid\":\"$B\",\"op_class\":81,\"channel\":6"

# table mode: the scan cache (after the scans above) has both APs; --ssid filters.
out=$(lab_rc roamer beacon-report wlan0 "$sta" --mode table --ssid labnet --json)
lab_result br-table out="$out"
lab_assert_match br-table-A "$out" "\"bssid\":\"$A\""
lab_assert_match br-table-B "$out" "\"bssid\":\"$B\""

# Refused: class 128 (80 MHz) with a primary channel is refused by wpa_supplicant (mode 04).
out=$(lab_rc roamer beacon-report wlan0 "$sta" --op-class 128 --channel 36)
lab_result br-refused out="$out"
lab_assert_match br-refused-rc "$out" '^rc=1$'
lab_assert_match br-refused-why "$out" "STDERR:roamer: wlan0: $sta refused the measurement \\(report mode 04 refused\\)"
lab_assert_match br-refused-json "$(roamer beacon-report wlan0 "$sta" --op-class 128 --channel 36 --json)" '"report_mode_name":"refused","ok":false'

# Unknown station, bad input.
out=$(lab_rc roamer beacon-report wlan0 02:00:00:00:09:00)
lab_assert_match br-unknown-sta "$out" 'STDERR:roamer: wlan0: station 02:00:00:00:09:00 is not associated with wlan0'
lab_assert_match br-unknown-sta-rc "$out" '^rc=1$'
lab_assert_match br-bad-mac "$(lab_rc roamer beacon-report wlan0 02:00:00:00:09)" '^rc=2$'
lab_assert_match br-bad-mode "$(lab_rc roamer beacon-report wlan0 "$sta" --mode loud)" '^rc=2$'
lab_assert_match br-bad-class "$(lab_rc roamer beacon-report wlan0 "$sta" --op-class 300)" '^rc=2$'
lab_assert_match br-no-hostapd "$(lab_rc roamer beacon-report wlan3 "$sta")" '^rc=1$'

lab_expect s2-on-N 60 lab_sta_on s2 N
sta2=$(lab_get s2 mac)
out=$(lab_rc roamer beacon-report wlan4 "$sta2")
lab_result br-no-rrm out="$out"
lab_assert_match br-no-rrm-rc "$out" '^rc=1$'
lab_assert_match br-no-rrm-why "$out" 'STDERR:roamer: wlan4: hostapd refused REQ_BEACON'
out=$(lab_rc roamer own-nr wlan4 --check)
lab_result own-nr-no-rrm out="$out"
lab_assert_match own-nr-no-rrm-rc "$out" '^rc=0$'
lab_assert_match own-nr-no-rrm-note "$out" '^check: hostapd has no SHOW_NEIGHBOR'
lab_assert_match neighbors-no-show "$(lab_rc roamer neighbors wlan4)" 'note: hostapd has no SHOW_NEIGHBOR'

# Nothing left behind in /tmp by any of the above.
lab_assert_eq no-client-sockets-left "$(ls /tmp | grep -c '^roamer-')" 0
