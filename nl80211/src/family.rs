//! Resolving a generic netlink family (id, version, multicast groups) through `nlctrl`
//! (`CTRL_CMD_GETFAMILY`, PROTOCOL.md B.2).

use byteorder::ByteOrder;

use crate::attr::{attrs, put};
use crate::consts::*;
use crate::error::DecodeError;
use crate::message::{encode_request, Genl, NLM_F_REQUEST};

/// The nl80211 family name.
pub const NL80211_FAMILY: &str = "nl80211";
/// The multicast group carrying NEW_STATION / DEL_STATION.
pub const MLME_GROUP: &str = "mlme";

/// A resolved generic netlink family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// `CTRL_ATTR_FAMILY_ID`: the `nlmsg_type` of the family's messages.
    pub id: u16,
    /// `CTRL_ATTR_FAMILY_NAME`.
    pub name: String,
    /// `CTRL_ATTR_VERSION`.
    pub version: u32,
    /// `CTRL_ATTR_MCAST_GROUPS`: (name, group id) in kernel order.
    pub groups: Vec<(String, u32)>,
}

impl Family {
    /// The id of multicast group `name`.
    pub fn group(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
}

/// Encodes `CTRL_CMD_GETFAMILY` for `name` (32 bytes for "nl80211"). No ACK flag: the reply
/// (NEWFAMILY or NLMSG_ERROR) is the answer.
pub fn encode_get_family<B: ByteOrder>(seq: u32, name: &str) -> Vec<u8> {
    encode_request::<B>(
        GENL_ID_CTRL,
        NLM_F_REQUEST,
        seq,
        CTRL_CMD_GETFAMILY,
        1,
        |w| {
            w.string(CTRL_ATTR_FAMILY_NAME, name);
        },
    )
}

/// Decodes a `CTRL_CMD_NEWFAMILY` reply. Unknown attributes (OPS, HDRSIZE, POLICY...) are
/// skipped.
pub fn decode_family<B: ByteOrder>(g: &Genl<'_>) -> Result<Family, DecodeError> {
    if g.cmd != CTRL_CMD_NEWFAMILY {
        return Err(DecodeError::UnexpectedCommand {
            want: CTRL_CMD_NEWFAMILY,
            got: g.cmd,
        });
    }
    let (mut id, mut name, mut version, mut groups) = (None, None, None, None);
    for a in attrs::<B>(g.attrs) {
        let a = a?;
        match a.kind {
            CTRL_ATTR_FAMILY_ID => put(
                &mut id,
                a.u16::<B>("CTRL_ATTR_FAMILY_ID")?,
                "CTRL_ATTR_FAMILY_ID",
            )?,
            CTRL_ATTR_FAMILY_NAME => put(
                &mut name,
                a.string("CTRL_ATTR_FAMILY_NAME")?.to_owned(),
                "CTRL_ATTR_FAMILY_NAME",
            )?,
            CTRL_ATTR_VERSION => put(
                &mut version,
                a.u32::<B>("CTRL_ATTR_VERSION")?,
                "CTRL_ATTR_VERSION",
            )?,
            CTRL_ATTR_MCAST_GROUPS => {
                let mut v = Vec::new();
                for grp in a.nested::<B>() {
                    let (mut gname, mut gid) = (None, None);
                    for ga in grp?.nested::<B>() {
                        let ga = ga?;
                        match ga.kind {
                            CTRL_ATTR_MCAST_GRP_NAME => put(
                                &mut gname,
                                ga.string("CTRL_ATTR_MCAST_GRP_NAME")?.to_owned(),
                                "CTRL_ATTR_MCAST_GRP_NAME",
                            )?,
                            CTRL_ATTR_MCAST_GRP_ID => put(
                                &mut gid,
                                ga.u32::<B>("CTRL_ATTR_MCAST_GRP_ID")?,
                                "CTRL_ATTR_MCAST_GRP_ID",
                            )?,
                            _ => {}
                        }
                    }
                    let gname = gname.ok_or(DecodeError::Missing {
                        attr: "CTRL_ATTR_MCAST_GRP_NAME",
                    })?;
                    let gid = gid.ok_or(DecodeError::Missing {
                        attr: "CTRL_ATTR_MCAST_GRP_ID",
                    })?;
                    v.push((gname, gid));
                }
                put(&mut groups, v, "CTRL_ATTR_MCAST_GROUPS")?
            }
            _ => {}
        }
    }
    Ok(Family {
        id: id.ok_or(DecodeError::Missing {
            attr: "CTRL_ATTR_FAMILY_ID",
        })?,
        name: name.ok_or(DecodeError::Missing {
            attr: "CTRL_ATTR_FAMILY_NAME",
        })?,
        version: version.unwrap_or(0),
        groups: groups.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use byteorder::{BigEndian, LittleEndian};

    #[rustfmt::skip]
    #[test]
    fn get_family_request_matches_protocol_md() {
        // PROTOCOL.md B.2: 32 bytes, type 0x10, flags REQUEST, cmd 3, version 1, name attr
        assert_eq!(encode_get_family::<LittleEndian>(7, "nl80211"), [
            0x20, 0, 0, 0,  0x10, 0,  0x01, 0,  7, 0, 0, 0,  0, 0, 0, 0,
            3, 1, 0, 0,
            12, 0, 2, 0,  b'n', b'l', b'8', b'0', b'2', b'1', b'1', 0,
        ]);
        assert_eq!(encode_get_family::<BigEndian>(7, "nl80211")[..8], [0, 0, 0, 0x20, 0, 0x10, 0, 1]);
    }

    #[test]
    fn missing_group_id_is_named() {
        // MCAST_GROUPS with one group that has only a name
        let mut v = Vec::new();
        crate::attr::AttrWriter::<LittleEndian>::new(&mut v).put(1, &[]);
        let mut grp = Vec::new();
        crate::attr::AttrWriter::<LittleEndian>::new(&mut grp).string(1, "mlme");
        let mut groups = Vec::new();
        crate::attr::AttrWriter::<LittleEndian>::new(&mut groups).put(1, &grp);
        let mut a = Vec::new();
        crate::attr::AttrWriter::<LittleEndian>::new(&mut a)
            .put(1, &0x1cu16.to_le_bytes())
            .string(2, "nl80211")
            .put(7, &groups);
        let g = Genl {
            cmd: 1,
            version: 2,
            attrs: &a,
        };
        assert_eq!(
            decode_family::<LittleEndian>(&g),
            Err(DecodeError::Missing {
                attr: "CTRL_ATTR_MCAST_GRP_ID"
            })
        );
    }
}
