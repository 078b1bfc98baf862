//! `roamer::radio` on the real hostapd 2.10 captures: from each AP's STATUS (and its config
//! file), the own neighbor entry must equal hostapd's own SHOW_NEIGHBOR line byte for byte.

use roamer::radio::{self, Band, HostapdConf, LocalBss};

const CAPTURE: &str = include_str!("fixtures/hostapd-2.10-hwsim/capture.log");

/// The lines of the capture section `@@@ <title>` (up to the next `@@@`).
fn section(title: &str) -> String {
    let mut out = String::new();
    let mut on = false;
    for line in CAPTURE.lines() {
        if let Some(t) = line.strip_prefix("@@@ ") {
            on = t == title;
            continue;
        }
        if on {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn conf_text(ap: char) -> String {
    let path = format!(
        "{}/tests/fixtures/hostapd-2.10-hwsim/{ap}.conf",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn own_entry_equals_hostapd_for_every_captured_ap() {
    for (i, ap) in ['A', 'B', 'C', 'D', 'F'].iter().enumerate() {
        let ifname = format!("wlan{i}");
        let text = section(&format!("status {ifname}"));
        let status = ctrl_proto::status::Status::parse(&text).unwrap();
        let version = radio::version_from_status(&text);
        assert_eq!(version, ctrl_proto::HostapdVersion::V2_10, "{ifname}");
        let conf = HostapdConf::parse(&conf_text(*ap), &ifname, None).unwrap();
        let bss = LocalBss::new(&ifname, &status, version, None, None, Some(&conf)).unwrap();
        let want = section(&format!("show_neighbor {ifname}"));
        assert_eq!(
            format!("{}\n", bss.own_entry().unwrap()),
            want,
            "{ifname} ({ap})"
        );
        // Without the config file the hostapd defaults give the same entry here.
        let bss = LocalBss::new(&ifname, &status, version, None, None, None).unwrap();
        assert_eq!(format!("{}\n", bss.own_entry().unwrap()), want);
    }
}

#[test]
fn describes_band_width_and_classes() {
    let status =
        |i: u8| ctrl_proto::status::Status::parse(&section(&format!("status wlan{i}"))).unwrap();
    let v = ctrl_proto::HostapdVersion::V2_10;
    let a = LocalBss::new("wlan0", &status(0), v, None, None, None).unwrap();
    assert_eq!(
        (
            a.band,
            a.channel,
            a.width_mhz,
            a.seg0,
            a.op_class,
            a.op_class_20
        ),
        (Band::G5, 36, 80, 42, Some(128), Some(115))
    );
    assert_eq!(a.standards_text(), "802.11n/ac");
    let b = LocalBss::new("wlan1", &status(1), v, None, None, None).unwrap();
    assert_eq!(
        (
            b.band,
            b.channel,
            b.width_mhz,
            b.seg0,
            b.op_class,
            b.op_class_20
        ),
        (Band::G2, 6, 20, 6, Some(81), Some(81))
    );
    let c = LocalBss::new("wlan2", &status(2), v, None, None, None).unwrap();
    assert_eq!(
        (
            c.band,
            c.channel,
            c.width_mhz,
            c.seg0,
            c.op_class,
            c.op_class_20
        ),
        (Band::G5, 149, 40, 151, Some(126), Some(124))
    );
    let f = LocalBss::new("wlan4", &status(4), v, None, None, None).unwrap();
    assert_eq!(f.standards_text(), "802.11n/ac/ax");
    assert!(LocalBss::new("wlan9", &status(4), v, None, None, None).is_err());
}

#[test]
fn settings_change_the_entry_like_hostapd() {
    let text = section("status wlan0");
    let status = ctrl_proto::status::Status::parse(&text).unwrap();
    let v = ctrl_proto::HostapdVersion::V2_10;
    // WMM off: no QoS bit (0x20).
    let conf = HostapdConf::parse("interface=wlan0\nwmm_enabled=0\n", "wlan0", None).unwrap();
    let bss = LocalBss::new("wlan0", &status, v, None, None, Some(&conf)).unwrap();
    assert_eq!(bss.own_report().unwrap().info.0, 0x198f);
    // Spectrum management required on 5 GHz: bit 4 (0x10).
    let conf =
        HostapdConf::parse("interface=wlan0\nspectrum_mgmt_required=1\n", "wlan0", None).unwrap();
    let bss = LocalBss::new("wlan0", &status, v, None, None, Some(&conf)).unwrap();
    assert_eq!(bss.own_report().unwrap().info.0, 0x19bf);
    // U-APSD advertised but no wiphy facts (driver support unknown): no APSD bit.
    let conf = HostapdConf::parse(
        "interface=wlan0\nuapsd_advertisement_enabled=1\nstationary_ap=1\nlci=0102\n",
        "wlan0",
        None,
    )
    .unwrap();
    let bss = LocalBss::new("wlan0", &status, v, None, None, Some(&conf)).unwrap();
    assert_eq!(bss.own_report().unwrap().info.0, 0x19af);
    assert!(bss
        .own_entry()
        .unwrap()
        .to_string()
        .ends_with(" lci=0102 stat"));
}

/// A TKIP-only BSS: hostapd disables 802.11n for it (STATUS ieee80211n=0) but its WMM
/// default follows the configured ieee80211n=1, so the QoS bit stays.
#[test]
fn wmm_default_follows_the_configured_standards() {
    let text = section("status wlan1").replace("ieee80211n=1", "ieee80211n=0");
    let status = ctrl_proto::status::Status::parse(&text).unwrap();
    let v = ctrl_proto::HostapdVersion::V2_10;
    let conf = HostapdConf::parse(
        "interface=wlan1\nieee80211n=1\nwpa_pairwise=TKIP\n",
        "wlan1",
        None,
    )
    .unwrap();
    let bss = LocalBss::new("wlan1", &status, v, None, None, Some(&conf)).unwrap();
    let r = bss.own_report().unwrap();
    assert_eq!(r.info.0, 0xaf);
    assert_eq!(r.phy_type.0, 6);
    // Without the file, STATUS is all there is: no QoS.
    let bss = LocalBss::new("wlan1", &status, v, None, None, None).unwrap();
    assert_eq!(bss.own_report().unwrap().info.0, 0x8f);
}

#[test]
fn versions() {
    use ctrl_proto::HostapdVersion::*;
    assert_eq!(radio::parse_version("2.10"), V2_10);
    assert_eq!(radio::parse_version("2.11-devel"), V2_11);
    assert_eq!(radio::parse_version("2.9"), V2_9);
    assert_eq!(radio::parse_version("2.12-hostap_2_12"), Master);
    assert_eq!(radio::parse_version("garbage"), Master);
}
