//! `geneve`: Geneve (RFC 8926) on UDP port 6081: an 8-byte header (version, options
//! length, the OAM and critical flags, the payload's EtherType, a 24-bit VNI), variable
//! options (class, type, length), then the payload named by the EtherType.

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Geneve, name: "geneve",
    GeneveVersion = "geneve.version", Dec;
    GeneveFlags = "geneve.flags", Hex2;
    GeneveFlagsOam = "geneve.flags.oam", Dec;
    GeneveFlagsCritical = "geneve.flags.critical", Dec;
    GeneveProtoType = "geneve.proto_type", Hex4;
    GeneveVni = "geneve.vni", Hex6;
    GeneveReserved = "geneve.reserved", Hex2;
    GeneveOptionClass = "geneve.option.class", Hex4;
    GeneveOptionType = "geneve.option.type", Hex2;
    GeneveOptionLength = "geneve.option.length", Dec;
}

/// Geneve on its UDP port.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Geneve,
    hook: Hook::UdpPort(&[6081], dissect),
};

/// RFC 8926 section 3.4: the fixed header's length.
const HEADER_LEN: usize = 8;

/// RFC 8926 section 3.4: the options length counts 4-byte words (the low six bits of the
/// first byte).
fn options_len(first: u8) -> usize {
    usize::from(first & 0x3f) * 4
}

/// RFC 8926 section 3.5: an option's length, header included (its data length counts
/// 4-byte words in the low five bits of its fourth byte).
fn option_len(fourth: u8) -> usize {
    4 + usize::from(fourth & 0x1f) * 4
}

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Geneve);
    let Some((&[b0, flags, p0, p1, v0, v1, v2, reserved], rest)) =
        bytes.split_first_chunk::<HEADER_LEN>()
    else {
        return cx.header_cut("geneve", bytes.len(), HEADER_LEN);
    };
    let protocol = u16::from_be_bytes([p0, p1]);
    cx.out.push_uint(Field::GeneveVersion, b0 >> 6);
    cx.out.push_uint(Field::GeneveFlags, flags);
    cx.out.push_uint(Field::GeneveFlagsOam, flags >> 7);
    cx.out
        .push_uint(Field::GeneveFlagsCritical, (flags >> 6) & 1);
    cx.out.push_uint(Field::GeneveProtoType, protocol);
    cx.out
        .push_uint(Field::GeneveVni, u32::from_be_bytes([0, v0, v1, v2]));
    cx.out.push_uint(Field::GeneveReserved, reserved);
    // tshark shows the header's options length (in bytes) as the first option length.
    cx.out
        .push_uint(Field::GeneveOptionLength, options_len(b0) as u64);
    let Some((mut options, payload)) = rest.split_at_checked(options_len(b0)) else {
        return cx.header_cut("geneve", bytes.len(), HEADER_LEN + options_len(b0));
    };
    while let Some(&[c0, c1, kind, len]) = options.first_chunk::<4>() {
        cx.out
            .push_uint(Field::GeneveOptionClass, u16::from_be_bytes([c0, c1]));
        cx.out.push_uint(Field::GeneveOptionType, kind);
        let total = option_len(len);
        cx.out.push_uint(Field::GeneveOptionLength, total as u64);
        options = options.get(total..).unwrap_or(&[]);
    }
    eth::by_ethertype(cx, EtherType(protocol), payload, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_8926_3_4_options_length_counts_words() {
        assert_eq!(options_len(0x02), 8);
        assert_eq!(options_len(0xc0 | 0x3f), 252);
    }

    #[test]
    fn rfc_8926_3_5_option_length_includes_its_header() {
        assert_eq!(option_len(0x01), 8);
        assert_eq!(option_len(0xe0), 4); // the three reserved bits do not count
    }
}
