//! `icmp`: ICMP messages, with the datagram an error message quotes dissected as a second
//! set of IP (and transport) occurrences.

use zerocast_wire::icmpv4::{self, Icmpv4Packet, Icmpv4Partial};
use zerocast_wire::Lenient;

use super::table::{Dissector, Hook};
use super::{push_some, status, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Icmp, name: "icmp",
    IcmpType = "icmp.type", Dec;
    IcmpCode = "icmp.code", Dec;
    IcmpChecksumStatus = "icmp.checksum.status", ChecksumStatus;
    IcmpIdent = "icmp.ident", Dec;
    IcmpSeq = "icmp.seq", Dec;
}

/// ICMP behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Icmp,
    hook: Hook::IpProto(&[zerocast_wire::IpProto::ICMP.0], dissect),
};

/// An ICMP message (and the datagram an error quotes).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let icmp = match Icmpv4Packet::parse_lenient(bytes, upper.checksums()) {
        Ok(Lenient::Whole(icmp)) => icmp,
        Ok(Lenient::Cut(icmp)) => {
            cx.header_cut("icmp", bytes.len(), icmpv4::HEADER_LEN);
            return cut(cx, &icmp);
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    cx.out.enter(Proto::Icmp);
    cx.out.push_uint(Field::IcmpType, icmp.msg_type());
    cx.out.push_uint(Field::IcmpCode, icmp.code());
    cx.out.push_uint(
        Field::IcmpChecksumStatus,
        status(false, icmp.checksum_status()),
    );
    if let Some((ident, seq)) = icmp.ident_seq() {
        cx.out.push_uint(Field::IcmpIdent, ident);
        cx.out.push_uint(Field::IcmpSeq, seq);
    }
    if icmp.is_error() && !cx.out.in_quoted() {
        // The offending datagram's header and first bytes: a second set of `ip.*` (and
        // transport) occurrences, as tshark shows them.
        cx.out.begin_quoted();
        super::ipv4::dissect(cx, icmp.body());
    } else {
        let body = icmp.body();
        let skip = if icmp.ident_seq().is_some() && echo_timestamp(cx, body) {
            ECHO_TIMESTAMP_LEN
        } else {
            0
        };
        cx.data(body.get(skip..).unwrap_or(&[]));
    }
}

/// The length of the timestamp a ping writes first in an echo's data (a `struct timeval`'s
/// two 32-bit halves as tshark reads them).
const ECHO_TIMESTAMP_LEN: usize = 8;

/// Whether tshark 4.0 reads the first 8 bytes of an echo's data as the sender's timestamp
/// (`icmp.data_time`), so that its `data` starts after them: more than 8 bytes of data on
/// the wire, and seconds within a day of the capture time with microseconds below a million,
/// read big-endian or else little-endian (Linux's ping writes its host's order).
fn echo_timestamp(cx: &Cx<'_, '_>, body: &[u8]) -> bool {
    if body.len() + cx.uncaptured <= ECHO_TIMESTAMP_LEN {
        return false;
    }
    let Some(&[s0, s1, s2, s3, u0, u1, u2, u3]) = body.get(..ECHO_TIMESTAMP_LEN) else {
        return false;
    };
    let plausible = |secs: u32, micros: u32| {
        // tshark compares the low 32 bits of the difference, as a signed number.
        let diff = (i64::from(secs) - cx.ts_sec as i64) as u32 as i32;
        diff.unsigned_abs() < 24 * 3600 && micros < 1_000_000
    };
    plausible(
        u32::from_be_bytes([s0, s1, s2, s3]),
        u32::from_be_bytes([u0, u1, u2, u3]),
    ) || plausible(
        u32::from_le_bytes([s0, s1, s2, s3]),
        u32::from_le_bytes([u0, u1, u2, u3]),
    )
}

fn cut(cx: &mut Cx<'_, '_>, icmp: &Icmpv4Partial<&[u8]>) {
    cx.out.enter(Proto::Icmp);
    // tshark shows nothing of an ICMP message of fewer than 6 captured bytes.
    if icmp.captured_len() < 6 {
        return;
    }
    push_some(
        cx.out,
        &[
            (Field::IcmpType, icmp.msg_type().map(u64::from)),
            (Field::IcmpCode, icmp.code().map(u64::from)),
            (Field::IcmpChecksumStatus, icmp.checksum().map(|_| 2)),
            (Field::IcmpIdent, icmp.ident().map(u64::from)),
            (Field::IcmpSeq, icmp.seq().map(u64::from)),
        ],
    );
}
