//! `icmpv6`: ICMPv6 messages (NDP targets and option types, echo, MLDv2 reports), with the
//! packet an error message quotes dissected as a second set of IPv6 occurrences.

use zerocast_wire::icmpv6::{self, Icmpv6Packet};
use zerocast_wire::{ErrorKind, Lenient};

use super::table::{Dissector, Hook};
use super::{push_some, status, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Icmpv6, name: "icmpv6",
    Icmpv6Type = "icmpv6.type", Dec;
    Icmpv6Code = "icmpv6.code", Dec;
    Icmpv6ChecksumStatus = "icmpv6.checksum.status", ChecksumStatus;
    Icmpv6NdNsTargetAddress = "icmpv6.nd.ns.target_address", Ipv6;
    Icmpv6NdNaTargetAddress = "icmpv6.nd.na.target_address", Ipv6;
    Icmpv6NdNaFlag = "icmpv6.nd.na.flag", Hex8;
    Icmpv6OptType = "icmpv6.opt.type", Dec;
    Icmpv6EchoIdentifier = "icmpv6.echo.identifier", Hex4;
    Icmpv6EchoSequenceNumber = "icmpv6.echo.sequence_number", Dec;
    Icmpv6MldrNbMcastRecords = "icmpv6.mldr.nb_mcast_records", Dec;
}

/// ICMPv6 behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Icmpv6,
    hook: Hook::IpProto(&[zerocast_wire::IpProto::ICMPV6.0], dissect),
};

/// An ICMPv6 message (NDP, MLD, echo, and the packet an error quotes).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let icmp = match Icmpv6Packet::parse_lenient(bytes, upper.pseudo, upper.checksums()) {
        Ok(Lenient::Whole(icmp)) => icmp,
        Ok(Lenient::Cut(icmp)) => {
            cx.header_cut("icmpv6", bytes.len(), icmpv6::HEADER_LEN);
            cx.out.enter(Proto::Icmpv6);
            return push_some(
                cx.out,
                &[
                    (Field::Icmpv6Type, icmp.msg_type().map(u64::from)),
                    (Field::Icmpv6Code, icmp.code().map(u64::from)),
                    (Field::Icmpv6ChecksumStatus, icmp.checksum().map(|_| 2)),
                ],
            );
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    cx.out.enter(Proto::Icmpv6);
    cx.out.push_uint(Field::Icmpv6Type, icmp.msg_type());
    cx.out.push_uint(Field::Icmpv6Code, icmp.code());
    cx.out.push_uint(
        Field::Icmpv6ChecksumStatus,
        status(false, icmp.checksum_status()),
    );
    let target_field = match icmp.msg_type() {
        icmpv6::TYPE_NEIGHBOR_SOLICITATION => Some(Field::Icmpv6NdNsTargetAddress),
        icmpv6::TYPE_NEIGHBOR_ADVERTISEMENT => Some(Field::Icmpv6NdNaTargetAddress),
        _ => None,
    };
    if let (Some(field), Some(target)) = (target_field, icmp.nd_target()) {
        cx.out.push(field, Value::Ipv6(target.0));
    }
    let body = icmp.body();
    let word16 = |at: usize| {
        body.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    match icmp.msg_type() {
        icmpv6::TYPE_ECHO_REQUEST | icmpv6::TYPE_ECHO_REPLY => {
            if let Some(ident) = word16(0) {
                cx.out.push_uint(Field::Icmpv6EchoIdentifier, ident);
            }
            if let Some(seq) = word16(2) {
                cx.out.push_uint(Field::Icmpv6EchoSequenceNumber, seq);
            }
        }
        icmpv6::TYPE_MLDV2_REPORT => {
            if let Some(records) = word16(2) {
                cx.out.push_uint(Field::Icmpv6MldrNbMcastRecords, records);
            }
        }
        icmpv6::TYPE_NEIGHBOR_ADVERTISEMENT => {
            if let Some(&[a, b, c, d]) = body.first_chunk::<4>() {
                cx.out
                    .push_uint(Field::Icmpv6NdNaFlag, u32::from_be_bytes([a, b, c, d]));
            }
        }
        _ => {}
    }
    // Where the options start in the body, for the types that carry them.
    let options_at = match icmp.msg_type() {
        icmpv6::TYPE_ROUTER_SOLICITATION => 4,
        icmpv6::TYPE_ROUTER_ADVERTISEMENT => 12,
        icmpv6::TYPE_NEIGHBOR_SOLICITATION | icmpv6::TYPE_NEIGHBOR_ADVERTISEMENT => 20,
        icmpv6::TYPE_REDIRECT => 36,
        _ => usize::MAX,
    };
    for option in icmp.ndp_options() {
        match option {
            Ok(record) => cx.out.push_uint(Field::Icmpv6OptType, record.kind),
            // An option cut short still shows its type, as in tshark, once its length
            // byte was captured too.
            Err(e) => {
                let left = body
                    .len()
                    .saturating_sub(options_at.saturating_add(e.offset()));
                if let (ErrorKind::BadOption { kind }, 2..) = (e.kind(), left) {
                    cx.out.push_uint(Field::Icmpv6OptType, kind);
                }
            }
        }
    }
    if icmp.is_error() && !cx.out.in_quoted() {
        // Errors carry 4 bytes (unused, MTU or pointer) and then the offending packet.
        if let Some(quoted) = icmp.body().get(4..) {
            cx.out.begin_quoted();
            super::ipv6::dissect(cx, quoted);
        }
    } else if matches!(
        icmp.msg_type(),
        icmpv6::TYPE_ECHO_REQUEST | icmpv6::TYPE_ECHO_REPLY
    ) {
        // Identifier and sequence number come first; the rest is the echoed data.
        cx.data(icmp.body().get(4..).unwrap_or(&[]));
    }
}
