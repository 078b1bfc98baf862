# Smallest scenario: one WPA2 AP, one station; the station associates.
lab_ap A iface=wlan0 band=2g channel=6
lab_sta s1 iface=wlan1 ssid=labnet
lab_expect s1-on-A 20 lab_sta_on s1 A
lab_result s1 bssid="$(lab_sta_bss s1)" ap_bssid="$(lab_get A bssid)"
