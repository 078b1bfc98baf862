# roamer run survives the wireless stack under it: a full cfg80211/mac80211/mac80211_hwsim
# reload and an AP interface renamed while its hostapd is stopped (tests/lab_daemon_kernel.rs).
#
# One roamer (r1) serves two local APs (wlan0 2.4 GHz ch 6, wlan1 5 GHz ch 36/80). After each
# outage the neighbor tables must be re-synced, the state socket must answer with both radios,
# and the log must not flood. Results: `@@ result name=timing ...` (recovery times) and
# `@@ result name=loglines ...` (lines logged per outage).

lab_radios 2
lab_ap A2 iface=wlan0 band=2g channel=6
lab_ap A5 iface=wlan1 band=5g channel=36 width=80

BSS_A2=$(lab_get A2 bssid)
BSS_A5=$(lab_get A5 bssid)

mkdir -p /lab/files/cfg
cat >/lab/files/cfg/one <<EOF
config roamer 'main'
	option ctrl_dir '/var/run/hostapd'
	list iface 'wlan0'
	list iface 'wlan1'
	option run_dir '/run/roamer-one'
	option log_level 'debug'
	option neighbor_sync_s '10'
	option event_silence_s '5'
EOF
lab_assert check-config roamer check-config /lab/files/cfg/one

both_up() { roamer state --config /lab/files/cfg/one | grep -cE '^wlan[01] +up ' | grep -qx 2; }
loglines() { wc -l <"$LAB_STATE/r1/log"; }

NR_A2=$(lab_own_nr A2)
NR_A5=$(lab_own_nr A5)
lab_assert_match own-nr-a2 "$NR_A2" '^[0-9a-f]{26,}$'
lab_assert_match own-nr-a5 "$NR_A5" '^[0-9a-f]{26,}$'

t0=$(lab_now)
lab_roamer_start r1 /lab/files/cfg/one
lab_expect a2-has-a5 15 lab_table_has A2 "$BSS_A5" "$NR_A5"
lab_expect a5-has-a2 15 lab_table_has A5 "$BSS_A2" "$NR_A2"
t_sync=$(( $(lab_now) - t0 ))
lab_expect both-up-initially 10 both_up
sleep 2

# (a) The whole wireless stack reloaded: hostapd stopped, every module removed and loaded
#     again (as tests/lab/scenarios/nl80211_vs_iw.sh does), the same hostapd configs started.
n0=$(loglines)
lab_hostapd_kill A2 >/dev/null
lab_hostapd_kill A5 >/dev/null
sleep 1
rmmod mac80211_hwsim && rmmod mac80211 && rmmod cfg80211
lab_assert_eq reload-modules-removed "$(grep -c '^cfg80211 ' /proc/modules)" 0
lab_assert reload-survived-removal lab_running r1
sleep 5
insmod /lib/modules/cfg80211.ko && insmod /lib/modules/mac80211.ko &&
  insmod /lib/modules/mac80211_hwsim.ko radios=2
lab_assert reload-radios-back lab_wait_for 10 test -e /sys/class/net/wlan1
lab_assert_eq reload-bssid-same "$(cat /sys/class/net/wlan1/address)" "$BSS_A5"
t1=$(lab_now)
lab_hostapd_start A2
lab_hostapd_start A5
lab_expect reload-a2-has-a5 30 lab_table_has A2 "$BSS_A5" "$NR_A5"
lab_expect reload-a5-has-a2 30 lab_table_has A5 "$BSS_A2" "$NR_A2"
t_reload=$(( $(lab_now) - t1 ))
lab_expect reload-both-up 10 both_up
lab_cmd reload-state roamer state --config /lab/files/cfg/one >/dev/null
lab_assert_eq reload-state-status "$(lab_cmd reload-state2 roamer state --config /lab/files/cfg/one >/dev/null; echo $?)" 0
st=$(roamer state --config /lab/files/cfg/one)
lab_assert_match reload-state-wlan0 "$st" "^wlan0 +up +$BSS_A2"
lab_assert_match reload-state-wlan1 "$st" "^wlan1 +up +$BSS_A5"
lab_assert reload-still-running lab_running r1
# roamer notices the new nl80211 family on its next nl80211 request, which need not come
# before the tables are synced: wait for the line (since n0) instead of looking once.
lines_since() { tail -n "+$(($1 + 1))" "$LAB_STATE/r1/log"; }
resubscribed() { lines_since "$n0" | grep -q 'nl80211 family changed'; }
lab_wait_for 30 resubscribed || true
sleep 2
n1=$(loglines)
sed -n "$((n0 + 1)),${n1}p" "$LAB_STATE/r1/log" >/tmp/reload-lines.txt
lab_file reload-lines /tmp/reload-lines.txt >/dev/null
lab_assert reload-resubscribed grep -q 'nl80211 family changed' /tmp/reload-lines.txt

# (b) An AP interface renamed while its hostapd is stopped, then named back and restarted.
n2=$(loglines)
lab_hostapd_kill A5 >/dev/null
ip link set wlan1 down
ip link set wlan1 name wlanx
lab_assert rename-renamed test -e /sys/class/net/wlanx
lab_assert rename-old-gone test ! -e /sys/class/net/wlan1
sleep 8
lab_assert rename-survived lab_running r1
# roamer notices the killed hostapd within a second or two; on a slow machine give it longer
# before taking the one state snapshot that the checks below (and the host test) read.
wlan1_not_up() { ! roamer state --config /lab/files/cfg/one | grep -qE '^wlan1 +up '; }
lab_wait_for 30 wlan1_not_up || true
lab_cmd rename-state-during roamer state --config /lab/files/cfg/one >/dev/null
st=$(timeout 5 roamer state --config /lab/files/cfg/one 2>&1)
lab_assert_eq rename-state-answers-during "$?" 0
# The outage is visible: wlan1 is not reported up, wlan0 still is.
printf '%s\n' "$st" >/tmp/rename-state-during.txt
lab_file rename-state-during /tmp/rename-state-during.txt >/dev/null
lab_assert rename-state-wlan1-not-up-during lab_not grep -qE '^wlan1 +up ' /tmp/rename-state-during.txt
lab_assert_match rename-state-wlan0-up-during "$st" "^wlan0 +up +$BSS_A2"
ip link set wlanx name wlan1
lab_assert rename-back test -e /sys/class/net/wlan1
t2=$(lab_now)
lab_hostapd_start A5
lab_expect rename-a5-has-a2 30 lab_table_has A5 "$BSS_A2" "$NR_A2"
lab_expect rename-a2-has-a5 30 lab_table_has A2 "$BSS_A5" "$NR_A5"
t_rename=$(( $(lab_now) - t2 ))
lab_expect rename-both-up 10 both_up
st=$(roamer state --config /lab/files/cfg/one)
lab_assert_match rename-state-wlan0 "$st" "^wlan0 +up +$BSS_A2"
lab_assert_match rename-state-wlan1 "$st" "^wlan1 +up +$BSS_A5"
lab_assert rename-still-running lab_running r1
sleep 2
n3=$(loglines)
sed -n "$((n2 + 1)),${n3}p" "$LAB_STATE/r1/log" >/tmp/rename-lines.txt
lab_file rename-lines /tmp/rename-lines.txt >/dev/null

lab_stop r1 TERM
lab_assert_eq r1-exit-0 "$(lab_status r1)" 0

lab_result timing sync_ms="$t_sync" reload_ms="$t_reload" rename_ms="$t_rename"
lab_result loglines reload="$((n1 - n0))" rename="$((n3 - n2))" total="$n3"
