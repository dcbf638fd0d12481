//! `mpls`: MPLS label stacks (RFC 3032) over Ethernet, GRE and UDP (RFC 7510, port
//! 6635), each label an occurrence of the `mpls.*` fields; after the bottom label, IPv4 or
//! IPv6 by the version nibble.

use super::table::{Dissector, Hook};
use super::{ipv4, ipv6, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Mpls, name: "mpls",
    MplsLabel = "mpls.label", Dec;
    MplsExp = "mpls.exp", Dec;
    MplsBottom = "mpls.bottom", Dec;
    MplsTtl = "mpls.ttl", Dec;
}

/// MPLS unicast and multicast behind their EtherTypes (also GRE's protocol field).
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Mpls,
    hook: Hook::EtherType(&[0x8847, 0x8848], |cx, _, bytes, _| dissect(cx, bytes)),
};

/// MPLS in UDP.
pub(super) const DISSECTOR_UDP: Dissector = Dissector {
    proto: Proto::Mpls,
    hook: Hook::UdpPort(&[6635], dissect),
};

/// Deepest label stack followed (bounds the work a crafted frame can cause).
const MAX_LABELS: usize = 16;

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let mut rest = bytes;
    for _ in 0..MAX_LABELS {
        let Some((&entry, tail)) = rest.split_first_chunk::<4>() else {
            cx.out.enter(Proto::Mpls);
            return cx.header_cut("mpls", rest.len(), 4);
        };
        let word = u32::from_be_bytes(entry);
        // tshark shows one `mpls` layer per label.
        cx.out.enter(Proto::Mpls);
        cx.out.push_uint(Field::MplsLabel, word >> 12);
        cx.out.push_uint(Field::MplsExp, (word >> 9) & 0x7);
        cx.out.push_uint(Field::MplsBottom, (word >> 8) & 0x1);
        cx.out.push_uint(Field::MplsTtl, word & 0xff);
        rest = tail;
        if word & 0x100 != 0 {
            return match rest.first().map(|b| b >> 4) {
                Some(4) => ipv4::dissect(cx, rest),
                Some(6) => ipv6::dissect(cx, rest),
                _ => cx.data(rest),
            };
        }
    }
    cx.data(rest);
}
