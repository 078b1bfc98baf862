# nl80211's readings against the real 6.1 kernel, compared with iw (tests/lab_nl80211.rs).
# Needs `--bin labcheck` (nl80211/examples/labcheck.rs, built static). Adapted from
# nl80211/tests/fixtures/labcheck-scenario.sh: every `CHECK name ok|FAIL detail` line labcheck
# prints becomes an `@@ assert name=... ok=1|0 detail=...`, so each check fails on its own.
#
# Order matters: the cfg80211 reload (section 4) removes every radio, so it runs last.

lab_radios 4
lab_ap A iface=wlan0 band=2g channel=6 ssid=lab24
lab_ap B iface=wlan2 band=5g channel=36 width=80 ssid=lab5
# no periodic ping: without traffic between labcheck's two reads its inactive-time check is
# strict (see labcheck.rs); lab_sta_traffic below gives the counters something to show
lab_sta s1 iface=wlan1 ssid=lab24 ping=0
lab_sta s2 iface=wlan3 ssid=lab5 ping=0
lab_expect s1-on-A 30 lab_sta_on s1 A
lab_expect s2-on-B 30 lab_sta_on s2 B
lab_sta_traffic s1 3
lab_sta_traffic s2 3
sleep 3 # let the unanswered pings' ARP retries end: quiet stations during the comparison

# 1. blocking API vs iw field by field (stations, interfaces, wiphys); mio Client vs blocking.
#    The raw iw outputs are copied out too, for the host test's own cross-checks.
lab_cmd compare labcheck compare wlan0 wlan2 >/dev/null
lab_assert_eq compare-status "$?" 0
lab_assert_checks "$LAB_STATE/cmd/compare.out"
lab_assert compare-ran grep -q '^CHECK wlan2-info-channel ' "$LAB_STATE/cmd/compare.out"
iw dev wlan0 info >/tmp/iw-wlan0-info.txt 2>&1
iw dev wlan2 info >/tmp/iw-wlan2-info.txt 2>&1
iw phy phy0 info >/tmp/iw-phy0.txt 2>&1
lab_file iw-wlan0-info /tmp/iw-wlan0-info.txt
lab_file iw-wlan2-info /tmp/iw-wlan2-info.txt
lab_file iw-phy0 /tmp/iw-phy0.txt

# 2. station events through EventSocket + mio: s1 leaves and comes back
lab_bg ev labcheck events "$(lab_get s1 mac)" 40
lab_wait_for 10 grep -q READY "$LAB_STATE/ev/log"
lab_wpa s1 disconnect >/dev/null
sleep 2
lab_wpa s1 reconnect >/dev/null
lab_expect s1-back-on-A 30 lab_sta_on s1 A
lab_wait_for 40 test -s "$LAB_STATE/ev/status"
lab_assert_checks "$LAB_STATE/ev/log"
lab_assert_eq events-status "$(lab_status ev)" 0

# 3. ENOBUFS: an event socket with the smallest receive buffer, not read while stations churn
lab_bg lost labcheck lost 12
lab_wait_for 10 grep -q READY "$LAB_STATE/lost/log"
for i in 1 2 3; do
  lab_wpa s1 disconnect >/dev/null
  lab_wpa s2 disconnect >/dev/null
  sleep 1
  lab_wpa s1 reconnect >/dev/null
  lab_wpa s2 reconnect >/dev/null
  sleep 2
done
lab_wait_for 30 test -s "$LAB_STATE/lost/status"
lab_assert_checks "$LAB_STATE/lost/log"
lab_assert_eq lost-status "$(lab_status lost)" 0

# 4. (last) cfg80211 reloaded under an open Nl80211: the family is resolved again
lab_bg rl labcheck reload /tmp/reloaded
lab_wait_for 10 grep -q READY "$LAB_STATE/rl/log"
lab_hostapd_kill A >/dev/null
lab_hostapd_kill B >/dev/null
for p in $(pidof wpa_supplicant); do kill "$p"; done
# (wait for them to be gone rather than assume a second is enough on a slow machine)
lab_wait_for 30 lab_not pidof wpa_supplicant
sleep 1
rmmod mac80211_hwsim && rmmod mac80211 && rmmod cfg80211
lab_assert_eq modules-removed "$(grep -c '^cfg80211 ' /proc/modules)" 0
insmod /lib/modules/cfg80211.ko && insmod /lib/modules/mac80211.ko &&
  insmod /lib/modules/mac80211_hwsim.ko radios=2
lab_wait_for 10 test -e /sys/class/net/wlan1
touch /tmp/reloaded
lab_wait_for 30 test -s "$LAB_STATE/rl/status"
lab_assert_checks "$LAB_STATE/rl/log"
lab_assert_eq reload-status "$(lab_status rl)" 0
