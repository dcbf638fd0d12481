//! `udp`: UDP datagrams.

use zerocast_wire::udp::{self, UdpPacket, UdpPartial};
use zerocast_wire::{Lenient, PseudoHeader};

use super::table::{self, Dissector, Hook};
use super::{push_some, status, Cx, Upper, CHECKSUM_ILLEGAL, CHECKSUM_NOT_PRESENT};
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Udp, name: "udp",
    UdpSrcport = "udp.srcport", Dec;
    UdpDstport = "udp.dstport", Dec;
    UdpLength = "udp.length", Dec;
    UdpChecksumStatus = "udp.checksum.status", ChecksumStatus;
}

/// UDP behind its IP protocol number.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Udp,
    hook: Hook::IpProto(&[zerocast_wire::IpProto::UDP.0], dissect),
};

/// A UDP datagram.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    match UdpPacket::parse_lenient(bytes, Some(upper.pseudo), upper.checksums()) {
        Ok(Lenient::Whole(udp)) => {
            cx.out.enter(Proto::Udp);
            cx.out.push_uint(Field::UdpSrcport, udp.src_port());
            cx.out.push_uint(Field::UdpDstport, udp.dst_port());
            cx.out.push_uint(Field::UdpLength, udp.length());
            // A zero checksum means "none" over IPv4 and is illegal over IPv6 (RFC 768,
            // RFC 8200 8.1), whatever the bytes: tshark's statuses 3 and 4.
            let checksum_status = match (udp.checksum(), upper.pseudo) {
                (0, PseudoHeader::V4 { .. }) => CHECKSUM_NOT_PRESENT,
                (0, PseudoHeader::V6 { .. }) => CHECKSUM_ILLEGAL,
                _ => status(false, udp.checksum_status()),
            };
            cx.out.push_uint(Field::UdpChecksumStatus, checksum_status);
            let payload = udp.payload();
            let start = cx.offset(payload);
            cx.out.set_payload(Proto::Udp, start, payload.len());
            match table::by_udp_ports(udp.src_port(), udp.dst_port()) {
                Some(dissect) if !payload.is_empty() => dissect(cx, payload),
                _ => cx.data(payload),
            }
        }
        Ok(Lenient::Cut(udp)) => {
            cx.header_cut("udp", bytes.len(), udp::HEADER_LEN);
            cut(cx, &udp);
        }
        Err(e) => {
            cx.malformed(bytes, &e);
            // A length field below the header's 8 bytes: tshark still shows the ports and
            // the length, and no checksum status; to tshark it is an expert error, not an
            // exception (no `_ws.malformed` in its hierarchy),
            if let Some(&[sp0, sp1, dp0, dp1, l0, l1]) = bytes.first_chunk::<6>() {
                let length = u16::from_be_bytes([l0, l1]);
                if usize::from(length) < udp::HEADER_LEN {
                    cx.out.enter(Proto::Udp);
                    cx.out
                        .push_uint(Field::UdpSrcport, u16::from_be_bytes([sp0, sp1]));
                    cx.out
                        .push_uint(Field::UdpDstport, u16::from_be_bytes([dp0, dp1]));
                    cx.out.push_uint(Field::UdpLength, length);
                    cx.out.note_tree(TreeNote::ExpertNotMalformed);
                    // Nor does it read on (a cut frame is not short).
                    cx.out.note_tree(TreeNote::FinishedBeforeCut);
                }
            }
        }
    }
}

fn cut(cx: &mut Cx<'_, '_>, udp: &UdpPartial<&[u8]>) {
    cx.out.enter(Proto::Udp);
    push_some(
        cx.out,
        &[
            // tshark reads the two ports together.
            (
                Field::UdpSrcport,
                udp.dst_port().and(udp.src_port()).map(u64::from),
            ),
            (Field::UdpDstport, udp.dst_port().map(u64::from)),
            (Field::UdpLength, udp.length().map(u64::from)),
            (Field::UdpChecksumStatus, udp.checksum().map(|_| 2)),
        ],
    );
}
