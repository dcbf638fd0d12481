//! `quic`: QUIC packet headers (RFC 9000 17) on UDP port 443, without decryption, with
//! tshark 4.0's field names: each long-header packet of a datagram (header form, fixed bit,
//! packet type, version, connection IDs and their lengths, an Initial's token length, the
//! length, and tshark's `quic.packet_length`), version negotiation packets with their
//! versions, and a short header's first bits.
//!
//! What tshark 4.0 shows depends on how much was captured, which this module follows:
//! - nothing of a long header whose connection IDs were not all captured (tshark reads
//!   them before it adds any field);
//! - of an Initial, only the header form and packet length when the header-protection
//!   sample (RFC 9001 5.4.2: 16 bytes from 4 past the packet number's start) was not
//!   captured: tshark removes Initial header protection, whose keys come from the DCID
//!   (RFC 9001 5.2), and stops there. Its packet number fields, which need that AES step,
//!   zcdump does not show;
//! - a short header's DCID only when tshark followed the connection's long headers; zcdump
//!   (one frame at a time) shows the header form, fixed bit and packet length only.

use super::table::{Dissector, Hook};
use super::value_text::push_hex;
use super::Cx;
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Quic, name: "quic",
    QuicPacketLength = "quic.packet_length", Dec;
    QuicHeaderForm = "quic.header_form", Dec;
    QuicFixedBit = "quic.fixed_bit", Dec;
    QuicLongPacketType = "quic.long.packet_type", Dec;
    QuicVersion = "quic.version", Hex8;
    QuicDcil = "quic.dcil", Dec;
    QuicDcid = "quic.dcid", Str;
    QuicScil = "quic.scil", Dec;
    QuicScid = "quic.scid", Str;
    QuicTokenLength = "quic.token_length", Dec;
    QuicLength = "quic.length", Dec;
    QuicSupportedVersion = "quic.supported_version", Hex8;
    QuicVnUnused = "quic.vn.unused", Hex2;
}

/// QUIC on UDP port 443, as tshark 4.0 registers it.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Quic,
    hook: Hook::UdpPort(&[443], dissect),
};

/// Long header packet types (RFC 9000 17.2, table 5).
const INITIAL: u8 = 0;
const RETRY: u8 = 3;

/// A variable-length integer (RFC 9000 16) at the start of `bytes`: (value, its length).
pub(super) fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let first = *bytes.first()?;
    let len = 1usize << (first >> 6);
    let raw = bytes.get(..len)?;
    let value = raw[1..]
        .iter()
        .fold(u64::from(first & 0x3f), |v, &b| v << 8 | u64::from(b));
    Some((value, len))
}

/// A long header's fixed part (RFC 9000 17.2) as read before any field is shown.
struct Long<'a> {
    first: u8,
    version: u32,
    dcid: &'a [u8],
    scid: &'a [u8],
    /// Where the type-specific part starts.
    rest: usize,
}

fn long_header(bytes: &[u8]) -> Option<Long<'_>> {
    let first = *bytes.first()?;
    let version = u32::from_be_bytes(bytes.get(1..5)?.try_into().ok()?);
    let dcil = usize::from(*bytes.get(5)?);
    let dcid = bytes.get(6..6 + dcil)?;
    let scil = usize::from(*bytes.get(6 + dcil)?);
    let scid = bytes.get(7 + dcil..7 + dcil + scil)?;
    Some(Long {
        first,
        version,
        dcid,
        scid,
        rest: 7 + dcil + scil,
    })
}

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Quic);
    let mut at = 0;
    // Coalesced packets (RFC 9000 12.2): long headers one after another.
    while let Some(&first) = bytes.get(at) {
        if first & 0x80 == 0 {
            // A short header runs to the datagram's end.
            cx.out.push_uint(
                Field::QuicPacketLength,
                (bytes.len() - at + cx.uncaptured) as u64,
            );
            cx.out.push_uint(Field::QuicHeaderForm, 0u8);
            cx.out.push_uint(Field::QuicFixedBit, first >> 6 & 1);
            return;
        }
        match packet(cx, &bytes[at..]) {
            Some(len) if len > 0 => at += len,
            _ => return,
        }
    }
}

/// One long-header packet; its length in the datagram, `None` where tshark stops.
fn packet(cx: &mut Cx<'_, '_>, bytes: &[u8]) -> Option<usize> {
    let Some(long) = long_header(bytes) else {
        cx.header_cut("quic", bytes.len(), 7);
        return None;
    };
    if long.version == 0 {
        // Version negotiation (RFC 9000 17.2.1): the rest of the datagram.
        cx.out.push_uint(
            Field::QuicPacketLength,
            (bytes.len() + cx.uncaptured) as u64,
        );
        cx.out.push_uint(Field::QuicHeaderForm, 1u8);
        cx.out.push_uint(Field::QuicVnUnused, long.first & 0x7f);
        ids(cx, &long);
        for v in bytes[long.rest..].chunks_exact(4) {
            cx.out.push_uint(
                Field::QuicSupportedVersion,
                u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
            );
        }
        return Some(bytes.len());
    }
    let kind = long.first >> 4 & 3;
    let mut at = long.rest;
    let mut token_length = None;
    if kind == INITIAL {
        let (len, n) = varint(bytes.get(at..)?)?;
        token_length = Some(len);
        at = at
            .saturating_add(n)
            .saturating_add(usize::try_from(len).ok()?);
    }
    let length = if kind == RETRY {
        None
    } else {
        let (len, n) = varint(bytes.get(at..)?)?;
        at += n;
        Some(len)
    };
    let total = match length {
        Some(len) => at.saturating_add(usize::try_from(len).unwrap_or(usize::MAX)),
        None => bytes.len(),
    };
    cx.out.push_uint(Field::QuicPacketLength, total as u64);
    cx.out.push_uint(Field::QuicHeaderForm, 1u8);
    if kind == INITIAL && bytes.len() < at + 4 + 16 {
        // tshark removes Initial header protection first; without its sample it stops.
        cx.header_cut("quic", bytes.len(), at + 20);
        return None;
    }
    cx.out.push_uint(Field::QuicFixedBit, long.first >> 6 & 1);
    cx.out.push_uint(Field::QuicLongPacketType, kind);
    ids(cx, &long);
    if let Some(len) = token_length {
        cx.out.push_uint(Field::QuicTokenLength, len);
    }
    if let Some(len) = length {
        cx.out.push_uint(Field::QuicLength, len);
    }
    Some(total.min(bytes.len()))
}

/// Version and connection IDs, as every long header shows them.
fn ids(cx: &mut Cx<'_, '_>, long: &Long<'_>) {
    cx.out.push_uint(Field::QuicVersion, long.version);
    cx.out.push_uint(Field::QuicDcil, long.dcid.len() as u64);
    if !long.dcid.is_empty() {
        push_hex(cx.out, Field::QuicDcid, long.dcid);
    }
    cx.out.push_uint(Field::QuicScil, long.scid.len() as u64);
    if !long.scid.is_empty() {
        push_hex(cx.out, Field::QuicScid, long.scid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9000_a1_varint_examples() {
        assert_eq!(
            varint(&[0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c]),
            Some((151_288_809_941_952_652, 8))
        );
        assert_eq!(varint(&[0x9d, 0x7f, 0x3e, 0x7d]), Some((494_878_333, 4)));
        assert_eq!(varint(&[0x7b, 0xbd]), Some((15_293, 2)));
        assert_eq!(varint(&[0x25]), Some((37, 1)));
        assert_eq!(varint(&[0x40, 0x25]), Some((37, 2)));
        assert_eq!(varint(&[0x7b]), None);
    }
}
