# roamer own-nr on DFS channels (Spectrum Management bit from nl80211's radar flags; hostapd
# sets it when a channel of the operating width needs DFS) and on 160 MHz. These APs run a
# 60 s channel availability check first, so they get a scenario of their own.
lab_radios 4
lab_ap D52 iface=wlan0 band=5g channel=52 width=20 ieee80211h=1 wait=0 events=0
lab_ap D100 iface=wlan1 band=5g channel=100 width=80 ieee80211h=1 wait=0 events=0
lab_ap W160 iface=wlan2 band=5g channel=36 width=80 ieee80211h=1 vht_oper_chwidth=2 vht_oper_centr_freq_seg0_idx=50 vht_capab=[VHT160] wait=0 events=0
lab_ap P40 iface=wlan3 band=5g channel=40 width=40 ieee80211h=1 spectrum_mgmt_required=1 local_pwr_constraint=3 wait=0 events=0

for n in D52 D100 W160 P40; do
  lab_expect "$n-enabled" 120 lab_ap_enabled "$n"
done
for n in D52 D100 W160 P40; do
  ifc=$(lab_iface "$n")
  bssid=$(lab_get "$n" bssid)
  state=$(lab_ap_state "$n")
  want=$(lab_hostapd "$n" show_neighbor | grep "^$bssid ")
  got=$(roamer own-nr "$ifc" 2>&1)
  rc=$?
  lab_result "own-nr-$n" "rc=$rc" "got=$got" "want=$want" "state=$state"
  lab_assert_eq "own-nr-equals-show-neighbor-$n" "$got" "$want"
  lab_assert "own-nr-check-$n" roamer own-nr "$ifc" --check
done
# The DFS ones carry Spectrum Management (bit 4) because of the radar channel.
lab_assert_match status-D52-spectrum "$(roamer status wlan0 --json)" '"spectrum_mgmt":true'
lab_assert_match status-W160-class "$(roamer status wlan2 --json)" '"op_class":129'
