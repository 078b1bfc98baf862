#!/usr/bin/env bash
# Runs every cargo-fuzz target listed in tests/fuzz/Cargo.toml for FUZZ_SECONDS each
# (default 30), after seeding tests/fuzz/corpus/<target>/ from the real captures.
#
#   tests/fuzz.sh                 all targets
#   tests/fuzz.sh ctrl_event      only the named targets
#   FUZZ_SECONDS=600 tests/fuzz.sh
#
# Needs the nightly toolchain; installs cargo-fuzz if missing. A crash fails the script and
# leaves the input in tests/fuzz/artifacts/<target>/ (reproduce: cargo +nightly fuzz run
# <target> <file>). corpus/ and artifacts/ are gitignored.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
fuzz="$here/fuzz"
secs="${FUZZ_SECONDS:-30}"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz
fi

targets=()
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    # Every [[bin]] name in the fuzz crate's manifest.
    while IFS= read -r t; do targets+=("$t"); done < <(
        awk '/^\[\[bin\]\]/{b=1; next} /^\[/{b=0} b && /^name *=/{gsub(/.*= *"|".*/, ""); print}' \
            "$fuzz/Cargo.toml")
fi
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz.sh: no targets in $fuzz/Cargo.toml" >&2; exit 1; }

# ---- seeds from the fixtures (only for targets we know how to seed; others start empty)
capture="$root/ctrl-proto/tests/fixtures/hostapd-2.10-hwsim/capture.log"
n=0
seed() {  # seed <target> <bytes via printf %b>
    local dir="$fuzz/corpus/$1"
    mkdir -p "$dir"
    n=$((n + 1))
    printf '%b' "$2" > "$dir/seed-$n"
}
hex2esc() { sed 's/../\\x&/g'; }

# Sections of capture.log: "@@@ <name>" headers, the lines up to the next header.
sections() {  # sections <name-regex>  -> one file per matching section on stdout (NUL-separated)
    awk -v re="$1" '
        /^@@@ /{ if (keep) printf "%c", 0; keep = (substr($0, 5) ~ re); next }
        keep { print }
        END { if (keep) printf "%c", 0 }' "$capture"
}

if [ -f "$capture" ]; then
    # Events: `wlanN EVENT args` in the capture is `<3>EVENT args` on the socket.
    while IFS= read -r line; do
        ev="${line#* }"
        seed ctrl_event "<3>${ev//\\/\\\\}"
        seed ctrl_event "IFNAME=${line%% *} <3>${ev//\\/\\\\}"
        case "$ev" in
            BEACON-RESP-RX*)
                body="${ev##* }"
                [ "${#body}" -gt 2 ] && seed ctrl_element "$(printf '%s' "$body" | hex2esc)"
                ;;
        esac
    done < <(awk '/^@@@ /{e = ($2 == "events"); next} e' "$capture")
    for ev in "AP-ENABLED " "AP-DISABLED " "CTRL-EVENT-TERMINATING " \
        "RX-PROBE-REQUEST sa=02:00:00:00:05:00 signal=-47" \
        "BSS-TM-QUERY 02:00:00:00:05:00 reason=16 neighbor=3410020000000000af19000080240906" \
        "CTRL-EVENT-CHANNEL-SWITCH freq=5180 ht_enabled=1 ch_offset=1 ch_width=80 MHz cf1=5210 cf2=0 dfs=0" \
        "CTRL-EVENT-STARTED-CHANNEL-SWITCH freq=2412 ht_enabled=0 ch_offset=0 ch_width=20 MHz (no HT) cf1=2412 cf2=0 is_dfs0=0 dfs=0 puncturing_bitmap=0x0000" \
        "AP-STA-CONNECTED 02:00:00:00:05:00 p2p_dev_addr=02:00:00:00:07:00 ip_addr=10.0.0.2 keyid=k dpp_pkhash=00ff"; do
        seed ctrl_event "<3>$ev"
    done
    # Replies: STATUS, STA and SHOW_NEIGHBOR blocks, and the short forms.
    while IFS= read -r -d '' block; do
        seed ctrl_reply "${block//\\/\\\\}\n"
    done < <(sections '^(status|all_sta|show_neighbor)')
    for r in 'OK\n' 'FAIL\n' 'UNKNOWN COMMAND\n' 'PONG\n' '' '1' '255'; do seed ctrl_reply "$r"; done
    # Neighbor report bodies (nr=) for the element parser.
    while IFS= read -r nr; do
        seed ctrl_element "$(printf '%s' "$nr" | hex2esc)"
    done < <(grep -o 'nr=[0-9a-f]*' "$capture" | cut -d= -f2 | sort -u)
    # Commands.
    for c in "PING" "ATTACH probe_rx_events=1" "STATUS" "STA-NEXT 02:00:00:00:05:00" \
        "REQ_BEACON 02:00:00:00:05:00 req_mode=01 73000000640001ffffffffffff00066c61626e6574020100" \
        "BSS_TM_REQ 02:00:00:00:05:00 dialog_token=7 disassoc_timer=100 valid_int=255 bss_term=0,5 url=http://x/y pref=1 abridged=1 disassoc_imminent=1 link_removal_imminent=1 neighbor=02:00:00:00:00:00,0x19af,128,36,9,0301ff0603022a00 mbo=4:30:255" \
        "SET_NEIGHBOR 02:00:00:00:02:00 ssid=6c61626e6574 nr=020000000200ab1100007e9507 lci=01 civic=02 stat bss_parameter=9" \
        "REMOVE_NEIGHBOR 02:00:00:00:02:00 ssid=6c61626e6574" \
        "DEAUTHENTICATE 02:00:00:00:05:00 reason=5 tx=0"; do
        seed ctrl_command "$c"
    done
else
    echo "fuzz.sh: $capture missing; ctrl_* targets start without seeds" >&2
fi

# ---- run
cd "$root"
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$fuzz/corpus/$t"
    echo "== fuzz $t for ${secs}s"
    if ! cargo +nightly fuzz run --fuzz-dir "$fuzz" "$t" "$fuzz/corpus/$t" -- \
        -max_total_time="$secs" -print_final_stats=1 2>&1 | tail -n 40; then
        failed+=("$t")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran ${secs}s without a crash"
