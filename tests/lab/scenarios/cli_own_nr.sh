# roamer own-nr / status against hostapd's own neighbor entry, on many hostapd configurations:
# bands, widths, legacy/HT/VHT/HE, WMM off, U-APSD advertised, spectrum management, a second
# BSS on one radio. For each BSS: `roamer own-nr IFACE` must print exactly hostapd's own
# SHOW_NEIGHBOR line, `roamer own-nr --check` must exit 0, and `roamer status --json` must
# carry the same entry.
lab_radios 13

# name iface options...
lab_ap A iface=wlan0 band=5g channel=36 width=80 ft=1
lab_ap B iface=wlan1 band=2g channel=6
lab_ap C iface=wlan2 band=5g channel=149 width=40
lab_ap D iface=wlan3 band=2g channel=11 width=40 security=open ssid=opennet
lab_ap F iface=wlan4 band=5g channel=44 width=80 ax=1
lab_ap G iface=wlan5 band=2g channel=1 width=40 uapsd_advertisement_enabled=1
lab_ap H iface=wlan6 band=5g channel=48 width=40 ieee80211ac=0 spectrum_mgmt_required=1 local_pwr_constraint=3
lab_ap I iface=wlan7 band=5g channel=40 ieee80211n=0 ieee80211ac=0
lab_ap J iface=wlan8 band=2g channel=9 ieee80211n=0 wmm_enabled=1 uapsd_advertisement_enabled=1
lab_ap K iface=wlan9 band=2g channel=3 wmm_enabled=0 ieee80211ax=1
# TKIP only: hostapd turns 802.11n off for the BSS (STATUS ieee80211n=0) but WMM stays on.
lab_ap L iface=wlan11 band=2g channel=4 security=wpa2 wpa=3 wpa_pairwise=TKIP rsn_pairwise=TKIP

# A radio with two BSSs (the second is a `bss=` section with its own SSID and settings).
mkdir -p /run/lab/M
cat >/run/lab/M/hostapd.conf <<CONF
driver=nl80211
interface=wlan10
ctrl_interface=/var/run/hostapd
ssid=firstnet
country_code=US
ieee80211d=1
hw_mode=a
channel=157
ieee80211n=1
ieee80211ac=1
ht_capab=[HT40+]
vht_oper_chwidth=1
vht_oper_centr_freq_seg0_idx=155
rrm_neighbor_report=1
rrm_beacon_report=1
bss=wlan10_1
ctrl_interface=/var/run/hostapd
ssid=second net
rrm_neighbor_report=1
uapsd_advertisement_enabled=1
CONF
hostapd -B -P /run/lab/M/hostapd.pid -f /run/lab/M/hostapd.log /run/lab/M/hostapd.conf
lab_wait_for 20 sh -c 'hostapd_cli -p /var/run/hostapd -i wlan10_1 status | grep -q state=ENABLED'

for ifc in wlan0 wlan1 wlan2 wlan3 wlan4 wlan5 wlan6 wlan7 wlan8 wlan9 wlan10 wlan10_1 wlan11; do
  bssid=$(hostapd_cli -p /var/run/hostapd -i "$ifc" status | sed -n 's/^bssid\[0\]=//p' | head -n1)
  [ "$ifc" = wlan10_1 ] && bssid=$(hostapd_cli -p /var/run/hostapd -i "$ifc" get_config | sed -n 's/^bssid=//p')
  want=$(hostapd_cli -p /var/run/hostapd -i "$ifc" show_neighbor | grep "^$bssid ")
  got=$(roamer own-nr "$ifc" 2>&1)
  rc=$?
  lab_result "own-nr-$ifc" "rc=$rc" "got=$got" "want=$want"
  lab_assert_eq "own-nr-equals-show-neighbor-$ifc" "$got" "$want"
  lab_assert "own-nr-check-$ifc" roamer own-nr "$ifc" --check
  nr=${want##*nr=}
  lab_assert_match "status-json-nr-$ifc" "$(roamer status "$ifc" --json)" "\"nr\":\"$nr\""
  lab_assert "status-table-$ifc" roamer status "$ifc"
done

# The 2.4 GHz 40 MHz BSS D is downgraded to 20 MHz by hostapd's overlapping-BSS scan or not;
# either way the entries above matched. STATUS decoding spot checks:
lab_assert_match status-A-opclass "$(roamer status wlan0 --json)" '"op_class":128'
lab_assert_match status-A-width "$(roamer status wlan0 --json)" '"width_mhz":80'
lab_assert_match status-C-opclass "$(roamer status wlan2 --json)" '"op_class":126'
lab_assert_match status-B-band "$(roamer status wlan1 --json)" '"band":"2.4 GHz"'
