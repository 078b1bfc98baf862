//! Resolving a generic netlink family (id, version, multicast groups) through `nlctrl`
//! (`CTRL_CMD_GETFAMILY`, PROTOCOL.md B.2).

use byteorder::ByteOrder;

use crate::attr::{field, put, walk, Field, SPECIAL};
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
#[inline(never)]
pub fn decode_family<B: ByteOrder>(g: &Genl<'_>) -> Result<Family, DecodeError> {
    if g.cmd != CTRL_CMD_NEWFAMILY {
        return Err(DecodeError::UnexpectedCommand {
            want: CTRL_CMD_NEWFAMILY,
            got: g.cmd,
        });
    }
    const ROWS: &[Field] = &[
        field(CTRL_ATTR_FAMILY_ID, 2, "CTRL_ATTR_FAMILY_ID"),
        field(CTRL_ATTR_VERSION, 4, "CTRL_ATTR_VERSION"),
        field(CTRL_ATTR_FAMILY_NAME, SPECIAL, "CTRL_ATTR_FAMILY_NAME"),
        field(CTRL_ATTR_MCAST_GROUPS, SPECIAL, "CTRL_ATTR_MCAST_GROUPS"),
    ];
    const GROUP: &[Field] = &[
        field(CTRL_ATTR_MCAST_GRP_ID, 4, "CTRL_ATTR_MCAST_GRP_ID"),
        field(
            CTRL_ATTR_MCAST_GRP_NAME,
            SPECIAL,
            "CTRL_ATTR_MCAST_GRP_NAME",
        ),
    ];
    let mut v = [None; 4];
    let (mut name, mut groups) = (None, None);
    walk::<B>(g.attrs, ROWS, &mut v, &mut |i, a| {
        if i == 2 {
            let n = "CTRL_ATTR_FAMILY_NAME";
            return put(&mut name, a.string(n)?.to_owned(), n);
        }
        let mut list = Vec::new();
        for grp in a.nested::<B>() {
            let mut gv = [None; 2];
            let mut gname = None;
            walk::<B>(grp?.payload, GROUP, &mut gv, &mut |_, ga| {
                let n = "CTRL_ATTR_MCAST_GRP_NAME";
                put(&mut gname, ga.string(n)?.to_owned(), n)
            })?;
            let gname = gname.ok_or(DecodeError::Missing {
                attr: "CTRL_ATTR_MCAST_GRP_NAME",
            })?;
            let gid = gv[0].ok_or(DecodeError::Missing {
                attr: "CTRL_ATTR_MCAST_GRP_ID",
            })?;
            list.push((gname, gid as u32));
        }
        put(&mut groups, list, "CTRL_ATTR_MCAST_GROUPS")
    })?;
    Ok(Family {
        id: v[0].ok_or(DecodeError::Missing {
            attr: "CTRL_ATTR_FAMILY_ID",
        })? as u16,
        name: name.ok_or(DecodeError::Missing {
            attr: "CTRL_ATTR_FAMILY_NAME",
        })?,
        version: v[1].map_or(0, |x| x as u32),
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
