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
        cx.data(icmp.body());
    }
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
