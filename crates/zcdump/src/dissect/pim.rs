//! `pim`: PIM version 2 (RFC 7761 4.9) on IP protocol 103, with tshark 4.0's field names:
//! the common header (version, type, reserved byte, checksum and its status), a hello's
//! options (type and length of each; holdtime, DR priority and generation ID decoded) and
//! a register's flags (border, null register) followed by the IPv4 or IPv6 packet it
//! carries, which tshark shows as a further occurrence of every IP field. Other message
//! types show the common header only.
//!
//! The checksum covers the whole message, except a register's: only its first 8 bytes
//! (RFC 7761 4.9.3); over IPv6 it also covers the pseudo-header (RFC 7761 4.9). Its status
//! is unverified (2) when the bytes it covers were not all captured.

use zerocast_wire::checksum::Checksum;
use zerocast_wire::PseudoHeader;

use super::table::{Dissector, Hook};
use super::value_text::push_hex;
use super::{ipv4, ipv6, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Pim, name: "pim",
    PimVersion = "pim.version", Dec;
    PimType = "pim.type", Dec;
    PimResBytes = "pim.res_bytes", Str;
    PimCksum = "pim.cksum", Hex4;
    PimCksumStatus = "pim.cksum.status", ChecksumStatus;
    PimOptiontype = "pim.optiontype", Dec;
    PimOptionlength = "pim.optionlength", Dec;
    PimHoldtime = "pim.holdtime", Dec;
    PimDrPriority = "pim.dr_priority", Dec;
    PimGenerationId = "pim.generation_id", Dec;
    PimRegisterFlag = "pim.register_flag", Hex8;
    PimRegisterFlagBorder = "pim.register_flag.border", Dec;
    PimRegisterFlagNullRegister = "pim.register_flag.null_register", Dec;
}

/// PIM behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Pim,
    hook: Hook::IpProto(&[103], dissect),
};

/// RFC 7761 4.9: message types decoded beyond the header.
const HELLO: u8 = 0;
const REGISTER: u8 = 1;

/// RFC 7761 4.9.2: hello option types decoded.
mod option {
    pub const HOLDTIME: u16 = 1;
    pub const DR_PRIORITY: u16 = 19;
    pub const GENERATION_ID: u16 = 20;
}

/// The checksum status of `covered` (the bytes the checksum covers, all captured).
fn checksum_status(covered: &[u8], pseudo: PseudoHeader, total_len: usize) -> u64 {
    let mut sum = Checksum::new();
    if let PseudoHeader::V6 { src, dst } = pseudo {
        sum.add_bytes(&src.0);
        sum.add_bytes(&dst.0);
        sum.add_bytes(&(total_len as u32).to_be_bytes());
        sum.add_bytes(&103u32.to_be_bytes());
    }
    sum.add_bytes(covered);
    u64::from(sum.checksum() == 0)
}

fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    cx.out.enter(Proto::Pim);
    let Some(&first) = bytes.first() else {
        return;
    };
    let kind = first & 0x0f;
    cx.out.push_uint(Field::PimVersion, first >> 4);
    cx.out.push_uint(Field::PimType, kind);
    let Some(reserved) = bytes.get(1..2) else {
        return cx.header_cut("pim", bytes.len(), 4);
    };
    push_hex(cx.out, Field::PimResBytes, reserved);
    let Some(&[c0, c1]) = bytes.get(2..4).and_then(|c| c.first_chunk::<2>()) else {
        return cx.header_cut("pim", bytes.len(), 4);
    };
    cx.out
        .push_uint(Field::PimCksum, u16::from_be_bytes([c0, c1]));
    if first >> 4 != 2 {
        return;
    }
    if cx.out.wants(Field::PimCksumStatus) {
        let covered = if kind == REGISTER {
            bytes.get(..8)
        } else {
            Some(bytes)
        };
        // A register's 8 bytes are enough even when the packet inside was cut.
        let status = match covered {
            Some(c) if upper.complete || kind == REGISTER => {
                checksum_status(c, upper.pseudo, bytes.len())
            }
            _ => 2,
        };
        cx.out.push_uint(Field::PimCksumStatus, status);
    }
    let body = &bytes[4..];
    match kind {
        HELLO => hello(cx, body),
        REGISTER => register(cx, body),
        _ => {}
    }
}

/// PIM version 1, carried in IGMP as type 0x14 (the IGMP dissector calls this): tshark
/// shows its checksum unverified and the version from the high nibble of the fifth byte,
/// all three only once that byte was captured.
pub(super) fn dissect_v1(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Pim);
    // tshark reads the version byte before it shows the checksum.
    let Some(&[_, _, c0, c1, version]) = bytes.first_chunk::<5>() else {
        return cx.header_cut("pim", bytes.len(), 5);
    };
    cx.out
        .push_uint(Field::PimCksum, u16::from_be_bytes([c0, c1]));
    cx.out.push_uint(Field::PimCksumStatus, 2u8);
    cx.out.push_uint(Field::PimVersion, version >> 4);
    if version >> 4 != 1 {
        // tshark decodes no more of a version it does not know: a cut frame is not short.
        cx.out.note_tree(TreeNote::FinishedBeforeCut);
    }
}

/// Hello options (RFC 7761 4.9.2), each shown when all of it was captured.
fn hello(cx: &mut Cx<'_, '_>, mut options: &[u8]) {
    while let Some(&[t0, t1, l0, l1]) = options.first_chunk::<4>() {
        let (kind, len) = (u16::from_be_bytes([t0, t1]), u16::from_be_bytes([l0, l1]));
        let Some(value) = options.get(4..4 + usize::from(len)) else {
            return cx.header_cut("pim", options.len(), 4 + usize::from(len));
        };
        cx.out.push_uint(Field::PimOptiontype, kind);
        cx.out.push_uint(Field::PimOptionlength, len);
        match (kind, value) {
            (option::HOLDTIME, &[a, b]) => cx
                .out
                .push_uint(Field::PimHoldtime, u16::from_be_bytes([a, b])),
            (option::DR_PRIORITY, &[a, b, c, d]) => cx
                .out
                .push_uint(Field::PimDrPriority, u32::from_be_bytes([a, b, c, d])),
            (option::GENERATION_ID, &[a, b, c, d]) => cx
                .out
                .push_uint(Field::PimGenerationId, u32::from_be_bytes([a, b, c, d])),
            _ => {}
        }
        options = &options[4 + usize::from(len)..];
    }
}

/// A register's flags and the packet it carries (RFC 7761 4.9.3).
fn register(cx: &mut Cx<'_, '_>, body: &[u8]) {
    let Some((&[a, b, c, d], packet)) = body.split_first_chunk::<4>() else {
        return cx.header_cut("pim", body.len(), 4);
    };
    let flags = u32::from_be_bytes([a, b, c, d]);
    cx.out.push_uint(Field::PimRegisterFlag, flags);
    cx.out.push_uint(Field::PimRegisterFlagBorder, flags >> 31);
    cx.out
        .push_uint(Field::PimRegisterFlagNullRegister, flags >> 30 & 1);
    match packet.first().map(|v| v >> 4) {
        Some(4) => ipv4::dissect(cx, packet),
        Some(6) => ipv6::dissect(cx, packet),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::Ipv4Addr;

    #[test]
    fn register_checksum_covers_eight_bytes_only() {
        // Header with the checksum of its 8 bytes, then any data.
        let mut msg = vec![0x21, 0, 0, 0, 0, 0, 0, 0, 0x45, 1, 2, 3];
        let c = zerocast_wire::checksum::checksum(&msg[..8]);
        msg[2..4].copy_from_slice(&c.to_be_bytes());
        let v4 = PseudoHeader::V4 {
            src: Ipv4Addr([192, 0, 2, 1]),
            dst: Ipv4Addr([192, 0, 2, 2]),
        };
        assert_eq!(checksum_status(&msg[..8], v4, msg.len()), 1);
        assert_eq!(checksum_status(&msg, v4, msg.len()), 0);
    }
}
