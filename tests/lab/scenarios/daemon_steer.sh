# roamer run steering real clients (wpa_supplicant 2.10) on real hostapd 2.10, one roamer per
# simulated access point:
#   AP one: A2 (wlan0, 2.4 GHz ch 6) + A5 (wlan1, 5 GHz ch 36/80), roamer "one"
#   AP two: B5 (wlan2, 5 GHz ch 149/40), roamer "two"
# Clients: s1 band steering (strong on A2 -> A5), s2 the walking client (A5 -> B5, once, no
# bounce back), s3 excluded in the config (never touched), s4 refuses (its network is pinned
# to A2, so wpa_supplicant rejects every transition) and is backed off.
#
# hwsim has no per-link path loss: what an AP hears from a station is the station's tx power
# - 50 dB (the uplink roamer reads from nl80211), what a station hears from an AP is the AP's tx
# power - 50 dB (what beacon reports carry). "Walking away from AP one towards AP two" is
# therefore: AP one's 5 GHz downlink drops to -45 dBm, the client's uplink drops to -40 dBm,
# AP two stays at -20 dBm. AP one's 2.4 GHz is heard at -41 dBm, just too weak for a
# roaming candidate (-40), so the walking client has exactly one place to go. The thresholds
# below are the defaults shifted into the lab's -20..-50 dBm range (strong = -30 or better).
# Output: `@@ timeline t=MS text=...` lines (the demo prints them) and `@@ result` timings.

lab_ap A2 iface=wlan0 band=2g channel=6 txpower=900
lab_ap A5 iface=wlan1 band=5g channel=36 width=80
lab_ap B5 iface=wlan2 band=5g channel=149 width=40

BSS_A2=$(lab_get A2 bssid)
BSS_A5=$(lab_get A5 bssid)
BSS_B5=$(lab_get B5 bssid)
nr() { roamer own-nr "$1" | sed 's/.*nr=//'; }
NR_A2=$(nr wlan0)
NR_A5=$(nr wlan1)
NR_B5=$(nr wlan2)

S1=$(lab_radio_mac wlan4)
S2=$(lab_radio_mac wlan5)
S3=$(lab_radio_mac wlan6)
S4=$(lab_radio_mac wlan7)

common() {
  cat <<EOF
	option log_level 'info'
	option poll_interval_ms '1000'
	option band_steer_signal '-30'
	option band_steer_target '-35'
	option roam_signal_5g '-35'
	option roam_target '-40'
	option roam_margin '5'
	option min_connected_s '2'
	option cooldown_s '5'
	option measure_interval_s '3'
	option backoff_base_s '5'
	option backoff_max_s '60'
	option refuse_after '3'

config client 'tv'
	option mac '$S3'
	option steer '0'
EOF
}
mkdir -p /lab/files/cfg
{
  printf "config roamer 'main'\n\tlist iface 'wlan0'\n\tlist iface 'wlan1'\n\toption run_dir '/run/roamer-one'\n"
  common
  printf "\nconfig neighbor 'two_5g'\n\toption bssid '%s'\n\toption ssid 'labnet'\n\toption nr '%s'\n" "$BSS_B5" "$NR_B5"
} >/lab/files/cfg/one
{
  printf "config roamer 'main'\n\tlist iface 'wlan2'\n\toption run_dir '/run/roamer-two'\n"
  common
  printf "\nconfig neighbor 'one_5g'\n\toption bssid '%s'\n\toption ssid 'labnet'\n\toption nr '%s'\n" "$BSS_A5" "$NR_A5"
  printf "\nconfig neighbor 'one_2g'\n\toption bssid '%s'\n\toption ssid 'labnet'\n\toption nr '%s'\n" "$BSS_A2" "$NR_A2"
} >/lab/files/cfg/two
lab_assert config-one-valid roamer check-config /lab/files/cfg/one
lab_assert config-two-valid roamer check-config /lab/files/cfg/two

# Clients start pinned to their first BSS; all but s4 are then free to move. s1, s3 and s4
# stay near AP one: they only scan AP one's channels (so a failed roam in the slow VM falls
# back within AP one, as it would for a client out of AP two's range).
AP_ONE_FREQS="$(cat /run/lab/A2/freq) $(cat /run/lab/A5/freq)"
lab_sta s1 iface=wlan4 bssid="$BSS_A2" scan_freq="$AP_ONE_FREQS"
lab_sta s2 iface=wlan5 bssid="$BSS_A5"
lab_sta s3 iface=wlan6 bssid="$BSS_A2" scan_freq="$AP_ONE_FREQS"
lab_sta s4 iface=wlan7 bssid="$BSS_A2" scan_freq="$AP_ONE_FREQS"
lab_sta_pin s1 any
lab_sta_pin s2 any
lab_sta_pin s3 any
lab_assert s1-starts-on-A2 lab_sta_on s1 A2
lab_assert s2-starts-on-A5 lab_sta_on s2 A5
lab_assert s3-starts-on-A2 lab_sta_on s3 A2
lab_assert s4-starts-on-A2 lab_sta_on s4 A2

tl() { lab_out timeline "t=$(lab_now)" "clock=$(date -u +%T)" "text=$*"; }
# roamer's log lines carry their own UTC time; place them on the VM's clock (t, ms since
# boot) through one reference point (1 s resolution).
day_ms() { echo "$1" | awk -F: '{ printf "%d", ($1 * 3600 + $2 * 60 + $3) * 1000 }'; }
base_t=$(lab_now)
base_day=$(day_ms "$(date -u +%T)")
# tl_log ROAMER MAC PATTERN: the first line of that client matching PATTERN in that roamer's
# log, as a timeline entry at the time roamer logged it.
tl_log() {
  local line clock
  line=$(grep -m1 -E "$2 .*$3" "/run/lab/$1/log")
  [ -n "$line" ] || return 0
  clock=$(echo "$line" | sed -n 's/^[0-9-]*T\([0-9:.]*\)Z.*/\1/p')
  lab_out timeline "t=$((base_t + $(day_ms "$clock") - base_day))" "clock=${clock%.*}" \
    "text=roamer $1: $(echo "$line" | sed 's/^[^ ]* [A-Z]* *//')"
}

s1_wlog_mark=$(wc -l </run/lab/s1/wpa_supplicant.log) # (s1_moved_to_a5 below)
t0=$(lab_now)
lab_roamer_start one /lab/files/cfg/one
lab_roamer_start two /lab/files/cfg/two
tl "roamer started on AP one (wlan0 2.4 GHz + wlan1 5 GHz) and AP two (wlan2 5 GHz)"
tl "s1 ($S1) on AP one 2.4 GHz, uplink $(lab_ap_sta_signal A2 s1) dBm; AP one 5 GHz heard at -27 dBm"

# 1. Band steering: s1, strong on 2.4 GHz, goes to the same AP's 5 GHz. Moved = on A5, or
# s1's own log says it completed the connection to A5 since roamer started: under load the
# emulated VM sometimes breaks the handshake on the target (hostapd answers the association
# after mac80211's 200 ms, gets it twice and restarts the 4-way handshake; the station leaves
# with reason 15 and falls back), which is not roamer's failure (s1-still-on-A5 at the end
# shows where it ends up). The log mark is taken before roamer starts.
s1_moved_to_a5() {
  lab_sta_on s1 A5 || tail -n "+$((s1_wlog_mark + 1))" /run/lab/s1/wpa_supplicant.log |
    grep -q "CTRL-EVENT-CONNECTED - Connection to $BSS_A5 completed"
}
if lab_expect s1-band-steered-to-A5 40 s1_moved_to_a5; then
  t_band=$(( $(lab_now) - t0 ))
  tl_log one "$S1" 'steer to'
  tl_log one "$S1" 'steered to'
  tl "s1 moved AP one 2.4 GHz -> AP one 5 GHz, $t_band ms after roamer started"
fi

# 2. The excluded client sits on 2.4 GHz with the same strong signal and is never touched.
# 3. The refusing client: rejections, back-off, then given up.
lab_expect s4-rejected 60 grep -qE "$S4 .*rejected status=" /run/lab/one/log
lab_expect s4-marked-refusing 120 grep -qE "$S4 .*refuses transitions" /run/lab/one/log
tl_log one "$S4" 'steer to'
tl_log one "$S4" 'rejected status='
tl_log one "$S4" 'refuses transitions'
# The baseline must hold every response roamer has already acted on: hostapd_cli -a writes
# each event through a forked script, possibly after roamer logged the rejection (a stale count
# here would make the last rejection look like a request after the refusal).
n_rej_s4() { grep -cE "$S4 .*rejected status=" /run/lab/one/log; }
n_resp_s4() { grep -c "BSS-TM-RESP $S4" "$(lab_events_file A2)"; }
resp_caught_up() { [ "$(n_resp_s4)" -ge "$(n_rej_s4)" ]; }
lab_wait_for 20 resp_caught_up
btm_s4=$(n_resp_s4)
lab_result s4_refusal rejections="$(n_rej_s4)" responses="$btm_s4"
# The third rejection still schedules a next attempt, back-off(3) = 20 s after it (the log
# says 'next attempt at T'); the window must reach past that moment to show that a refusing
# client really is left alone, with room for a measurement: 30 s, not 20.
sleep 30
btm_s4_later=$(n_resp_s4)
lab_assert_eq s4-no-requests-after-refusal "$btm_s4_later" "$btm_s4"
# Back-off: the gaps between the first three rejections grow (exponential back-off).
gaps=$(grep -E "$S4 .*rejected status=" /run/lab/one/log | head -n 3 |
  sed -n 's/^[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9.]*\)Z.*/\1 \2 \3/p' |
  awk '{ t = $1 * 3600 + $2 * 60 + $3; if (NR > 1) printf "%d ", t - p; p = t }')
# The gaps also hold each attempt's measurement and steering time, which varies with the
# machine (a lost beacon request adds seconds to one gap): compare the back-offs roamer
# scheduled instead. Each rejection line says when the next attempt is due on roamer's own
# clock ('next attempt at T s'); with W its wall time, back-off(i) - back-off(1) =
# (T(i) - T(1)) - (W(i) - W(1)), whatever the offset between the two clocks.
backoffs=$(grep -E "$S4 .*rejected status=" /run/lab/one/log | head -n 3 |
  sed -n 's/^[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9.]*\)Z.* next attempt at \([0-9.]*\)s.*/\1 \2 \3 \4/p' |
  awk '{ w = $1 * 3600 + $2 * 60 + $3; if (NR == 1) { w1 = w; t1 = $4 } printf "%.3f ", ($4 - t1) - (w - w1) }')
lab_result s4_gaps seconds="$gaps" backoff_minus_first="$backoffs"
lab_assert s4-backoff-grows sh -c "set -- $backoffs; [ \$# -eq 3 ] && awk -v b2=\$2 'BEGIN { exit !(b2 > 0.5) }'"
lab_assert s4-still-on-A2 lab_sta_on s4 A2

# 4. The walk: AP one's 5 GHz fades for s2 (downlink -45 dBm, uplink -40 dBm), AP two stays.
lab_mark walk
tl "s2 ($S2) walks from AP one towards AP two: AP one 5 GHz now -45 dBm, its uplink -40 dBm, AP two -20 dBm"
t_walk=$(lab_now)
lab_txpower ap A5 500
lab_txpower sta s2 1000
if lab_expect s2-walked-to-B5 90 lab_sta_on s2 B5; then
  t_move=$(( $(lab_now) - t_walk ))
  tl_log one "$S2" 'steer to'
  tl_log one "$S2" 'accepted'
  tl_log one "$S2" 'left \('
  tl_log one "$S2" 'steered to'
  tl "s2 moved AP one 5 GHz -> AP two 5 GHz, $t_move ms after the walk began"
fi
# Settle: wpa_supplicant in the emulated VM sometimes loses a 4-way handshake (reason 15) and
# comes back once; from the moment s2 is on B5 for 10 s in a row, it must stay there.
lab_wait_for 60 sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do wpa_cli -p /var/run/wpa_supplicant -i wlan5 status | grep -qx 'bssid=$BSS_B5' || exit 1; sleep 1; done"
n_one_before=$(grep -cE "$S2 .*steer to" /run/lab/one/log)
n_two_before=$(grep -cE "$S2 .*steer to" /run/lab/two/log)
tl "s2 settled on AP two; transition requests sent to it so far: $n_one_before"
# ... and it does not bounce back: 30 s on AP two (whose roamer measures AP one weaker).
sleep 30
lab_assert s2-stays-on-B5 lab_sta_on s2 B5
n_one=$(grep -cE "$S2 .*steer to" /run/lab/one/log)
n_two=$(grep -cE "$S2 .*steer to" /run/lab/two/log)
lab_assert_eq s2-no-request-after-arrival "$n_one" "$n_one_before"
lab_assert_eq s2-no-request-back "$n_two" 0
lab_assert_eq s2-no-request-back-before "$n_two_before" 0
# mac80211 roams without deauthenticating from AP one, so AP one learns of the departure from
# its polls (POLL_STA unanswered), not from AP-STA-DISCONNECTED: the accepted transition must
# count as done, never as "accepted but did not leave" (which backs the client off).
lab_assert s2-accept-not-counted-as-stay sh -c "! grep -qE '$S2 .*did not leave' /run/lab/one/log"
lab_result s2_left how="$(grep -m1 -oE "$S2 left \([a-z ]*\)" /run/lab/one/log || echo 'disconnect event')"
moves=$(grep -c "CTRL-EVENT-CONNECTED - Connection to $BSS_B5" /run/lab/s2/wpa_supplicant.log)
lab_result s2_walk requests="$n_one" arrivals_on_b5="$moves"
lab_assert s2-evaluated-on-two grep -qE "$S2 .*no candidate good enough" /run/lab/two/log
tl_log two "$S2" 'no candidate good enough'
tl "s2 still on AP two 30 s later: no request back"
lab_assert_eq s1-still-on-A5 "$(lab_sta_bss s1)" "$BSS_A5"

# The excluded client: no beacon request, no transition request, no log line, still on A2.
lab_assert s3-no-beacon-request sh -c "! grep -qE 'BEACON-(REQ-TX-STATUS|RESP-RX) $S3' $(lab_events_file A2)"
lab_assert s3-no-transition sh -c "! grep -q 'BSS-TM-RESP $S3' $(lab_events_file A2)"
lab_assert s3-no-decision sh -c "! grep -qE '$S3 .*(measuring|steer to|rejected)' /run/lab/one/log"
lab_assert s3-still-on-A2 lab_sta_on s3 A2
tl "s3 ($S3, excluded in the config) was never measured or asked to move"

rss_one=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$(cat /run/lab/one/pid)/status")
st=$(lab_cmd state-one roamer state --config /lab/files/cfg/one)
lab_assert_match state-s3-excluded "$st" "^$S3 .*excluded"
lab_assert_match state-s4-refuses "$st" "^$S4 .*refuses"
lab_cmd state-two roamer state --config /lab/files/cfg/two >/dev/null

lab_file s2-wpa_supplicant.log /run/lab/s2/wpa_supplicant.log >/dev/null
lab_file B5-hostapd.log /run/lab/B5/hostapd.log >/dev/null
lab_file A5-events "$(lab_events_file A5)" >/dev/null
lab_stop one TERM
lab_stop two TERM
lab_assert_eq one-exit-0 "$(lab_status one)" 0
lab_assert_eq two-exit-0 "$(lab_status two)" 0
lab_result timing band_ms="${t_band:-}" walk_ms="${t_move:-}" \
  rss_one_kb="$rss_one"
