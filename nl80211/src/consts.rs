//! Kernel constants used by more than one module, named as in the UAPI headers
//! (`linux/genetlink.h`, `linux/nl80211.h`; values checked against hostapd's `nl80211_copy.h`
//! of 2026-04, see PROTOCOL.md B).
#![allow(missing_docs)]

// generic netlink controller
pub const GENL_ID_CTRL: u16 = 0x10;
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
pub const CTRL_ATTR_VERSION: u16 = 3;
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;

// nl80211 commands
pub const NL80211_CMD_GET_WIPHY: u8 = 1;
pub const NL80211_CMD_NEW_WIPHY: u8 = 3;
pub const NL80211_CMD_GET_INTERFACE: u8 = 5;
pub const NL80211_CMD_NEW_INTERFACE: u8 = 7;
pub const NL80211_CMD_GET_STATION: u8 = 17;
pub const NL80211_CMD_NEW_STATION: u8 = 19;
pub const NL80211_CMD_DEL_STATION: u8 = 20;

// nl80211 top-level attributes
pub const NL80211_ATTR_WIPHY: u16 = 1;
pub const NL80211_ATTR_WIPHY_NAME: u16 = 2;
pub const NL80211_ATTR_IFINDEX: u16 = 3;
pub const NL80211_ATTR_IFNAME: u16 = 4;
pub const NL80211_ATTR_IFTYPE: u16 = 5;
pub const NL80211_ATTR_MAC: u16 = 6;
pub const NL80211_ATTR_STA_INFO: u16 = 21;
pub const NL80211_ATTR_WIPHY_BANDS: u16 = 22;
pub const NL80211_ATTR_WIPHY_FREQ: u16 = 38;
pub const NL80211_ATTR_WIPHY_CHANNEL_TYPE: u16 = 39;
pub const NL80211_ATTR_GENERATION: u16 = 46;
pub const NL80211_ATTR_SSID: u16 = 52;
pub const NL80211_ATTR_4ADDR: u16 = 83;
pub const NL80211_ATTR_WIPHY_TX_POWER_LEVEL: u16 = 98;
pub const NL80211_ATTR_SUPPORT_AP_UAPSD: u16 = 130;
pub const NL80211_ATTR_WDEV: u16 = 153;
pub const NL80211_ATTR_CHANNEL_WIDTH: u16 = 159;
pub const NL80211_ATTR_CENTER_FREQ1: u16 = 160;
pub const NL80211_ATTR_CENTER_FREQ2: u16 = 161;
pub const NL80211_ATTR_SPLIT_WIPHY_DUMP: u16 = 174;
