//! `igmp`: IGMP messages (versions 1 to 3).

use zerocast_wire::igmp::{self, IgmpPacket};
use zerocast_wire::Lenient;

use super::table::{Dissector, Hook};
use super::{push_some, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Igmp, name: "igmp",
    IgmpVersion = "igmp.version", Dec;
    IgmpType = "igmp.type", Hex2;
    IgmpNumGrpRecs = "igmp.num_grp_recs", Dec;
}

/// IGMP behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Igmp,
    hook: Hook::IpProto(&[zerocast_wire::IpProto::IGMP.0], dissect),
};

/// IGMP type 0x13: DVMRP (RFC 1075) rides in IGMP.
const TYPE_DVMRP: u8 = 0x13;
/// IGMP type 0x14: PIM version 1 rides in IGMP.
const TYPE_PIM_V1: u8 = 0x14;

/// An IGMP message.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    if matches!(bytes.first(), Some(&(TYPE_DVMRP | TYPE_PIM_V1))) {
        // tshark hands these to the DVMRP and PIMv1 dissectors before IGMP adds anything:
        // its protocol list names `igmp`, its tree and a filter on `igmp` do not.
        cx.out.list_only(Proto::Igmp);
        if bytes.first() == Some(&TYPE_PIM_V1) {
            super::pim::dissect_v1(cx, bytes);
        } else {
            super::dvmrp::dissect(cx, upper);
        }
        return;
    }
    let igmp = match IgmpPacket::parse_lenient(bytes, upper.checksums()) {
        Ok(Lenient::Whole(igmp)) => igmp,
        Ok(Lenient::Cut(igmp)) => {
            cx.header_cut("igmp", bytes.len(), igmp::HEADER_LEN);
            cx.out.enter(Proto::Igmp);
            return push_some(
                cx.out,
                &[
                    (Field::IgmpVersion, igmp.version().map(u64::from)),
                    (Field::IgmpType, igmp.msg_type().map(u64::from)),
                ],
            );
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    cx.out.enter(Proto::Igmp);
    cx.out.push_uint(Field::IgmpVersion, igmp.version());
    cx.out.push_uint(Field::IgmpType, igmp.msg_type());
    if igmp.msg_type() == igmp::TYPE_V3_REPORT {
        let [_, _, hi, lo] = igmp.header().word;
        cx.out
            .push_uint(Field::IgmpNumGrpRecs, u16::from_be_bytes([hi, lo]));
    }
}
