# roamer's memory stays flat with client churn: two stations that reconnect over and over with
# a new MAC address each time (set on the interface between connections), so every connection
# is a client roamer has never seen. roamer's resident memory is sampled after a warm-up and
# at the end; its client table stays bounded (max_clients) and departed clients are forgotten.
# No `list iface`: roamer manages every hostapd socket it finds in ctrl_dir.

lab_ap A2 iface=wlan0 band=2g channel=6
lab_ap A5 iface=wlan1 band=5g channel=36
mkdir -p /lab/files/cfg
cat >/lab/files/cfg/churn <<EOF
config roamer 'main'
	option run_dir '/run/roamer-churn'
	option poll_interval_ms '200'
	option forget_after_s '5'
	option max_clients '16'
	option dry_run '1'
EOF
lab_roamer_start r /lab/files/cfg/churn
lab_sta s1 iface=wlan2
lab_sta s2 iface=wlan3 bssid="$(lab_get A5 bssid)"

rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$(cat /run/lab/r/pid)/status"; }
# cycle N: both stations leave, take a new address and come back.
cycle() {
  lab_sta_newmac s1 02:aa "$1"
  lab_sta_newmac s2 02:aa "$1"
  lab_wait_for 20 lab_sta_connected s1
  lab_wait_for 20 lab_sta_connected s2
  sleep 0.5
}
macs() { lab_ns s1 ip link show wlan2 | awk '$1 == "link/ether" { print $2 }'; }

first_mac=$(macs)
i=0
while [ $i -lt 10 ]; do cycle $i; i=$((i + 1)); done
sleep 40 # forget_after_s + the 30 s sweep: the warm-up's departed clients are gone
rss_warm=$(rss)
t0=$(lab_now)
while [ $i -lt 50 ]; do cycle $i; i=$((i + 1)); done
sleep 40
rss_end=$(rss)
churn_ms=$(( $(lab_now) - t0 ))
lab_assert mac-changed sh -c "[ '$(macs)' != '$first_mac' ]"
seen=$(grep -c 'AP-STA-CONNECTED 02:aa:' "$(lab_events_file A2)" "$(lab_events_file A5)" | awk -F: '{ n += $NF } END { print n }')
lab_result clients distinct_connections="$seen"
lab_assert many-distinct-clients sh -c "[ $seen -ge 60 ]"
st=$(lab_cmd state roamer state --config /lab/files/cfg/churn --json)
lab_assert_match discovered-both "$st" '"iface":"wlan0","link":"up".*"iface":"wlan1","link":"up"'
tracked=$(printf '%s' "$st" | grep -o '"mac":' | wc -l)
lab_assert tracked-bounded sh -c "[ $tracked -le 16 ]"
lab_assert still-running lab_running r
lab_result churn cycles="$i" churn_ms="$churn_ms" rss_warm_kb="$rss_warm" rss_end_kb="$rss_end" tracked="$tracked"
lab_assert rss-flat sh -c "[ $rss_end -le $((rss_warm + 64)) ]"
lab_stop r TERM
lab_assert_eq exit-0 "$(lab_status r)" 0
