//! `gre`: Generic Routing Encapsulation (RFC 2784 with RFC 2890's key and sequence
//! number), whose payload is named by an EtherType: IP, bridged Ethernet (NVGRE), MPLS.

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{erspan, eth, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Gre, name: "gre",
    GreFlagsAndVersion = "gre.flags_and_version", Hex4;
    GreProto = "gre.proto", Hex4;
    GreChecksum = "gre.checksum", Hex4;
    GreKey = "gre.key", Hex8;
    GreSequenceNumber = "gre.sequence_number", Dec;
}

/// GRE behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Gre,
    hook: Hook::IpProto(&[47], dissect),
};

/// Flag bits of the first word (RFC 2890 section 2).
const FLAG_CHECKSUM: u16 = 0x8000;
const FLAG_KEY: u16 = 0x2000;
const FLAG_SEQUENCE: u16 = 0x1000;

fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let Some((&[f0, f1, p0, p1], mut rest)) = bytes.split_first_chunk::<4>() else {
        cx.out.enter(Proto::Gre);
        return cx.header_cut("gre", bytes.len(), 4);
    };
    let flags = u16::from_be_bytes([f0, f1]);
    let protocol = u16::from_be_bytes([p0, p1]);
    cx.out.enter(Proto::Gre);
    cx.out.push_uint(Field::GreFlagsAndVersion, flags);
    cx.out.push_uint(Field::GreProto, protocol);
    // Optional words, in this order, each present when its flag is set.
    for (flag, field) in [
        (FLAG_CHECKSUM, Field::GreChecksum),
        (FLAG_KEY, Field::GreKey),
        (FLAG_SEQUENCE, Field::GreSequenceNumber),
    ] {
        if flags & flag == 0 {
            continue;
        }
        let Some((&[a, b, c, d], tail)) = rest.split_first_chunk::<4>() else {
            // Cut short: tshark still shows a checksum whose two bytes were captured.
            if let (FLAG_CHECKSUM, Some(&[a, b])) = (flag, rest.first_chunk::<2>()) {
                cx.out.push_uint(field, u16::from_be_bytes([a, b]));
            }
            return cx.header_cut("gre", bytes.len(), bytes.len() + 4);
        };
        let value = if flag == FLAG_CHECKSUM {
            // The checksum word is the checksum, then a reserved half.
            u32::from(u16::from_be_bytes([a, b]))
        } else {
            u32::from_be_bytes([a, b, c, d])
        };
        cx.out.push_uint(field, value);
        rest = tail;
    }
    // ERSPAN type I is 0x88BE without a sequence number; with one it is type II.
    if protocol == erspan::TYPE_II && flags & FLAG_SEQUENCE == 0 {
        return erspan::dissect_type_i(cx, rest);
    }
    eth::by_ethertype(cx, EtherType(protocol), rest, 0);
}
