//! Every nl80211 decoder (netlink framing, NLMSG_ERROR/DONE, GETFAMILY, station, interface,
//! wiphy, events, the dump engine) on arbitrary datagrams, little- and big-endian.
//! Seeds: nl80211/tests/fixtures/hwsim-6.1/*.hex (real kernel bytes).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    nl80211::fuzz::decode_everything(data);
});
