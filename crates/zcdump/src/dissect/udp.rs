//! `udp`: UDP datagrams.

use zerocast_wire::udp::{self, UdpPacket, UdpPartial};
use zerocast_wire::Lenient;

use super::{push_some, status, Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Udp, name: "udp",
    UdpSrcport = "udp.srcport", Dec;
    UdpDstport = "udp.dstport", Dec;
    UdpLength = "udp.length", Dec;
    UdpChecksumStatus = "udp.checksum.status", ChecksumStatus;
}

/// A UDP datagram.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    match UdpPacket::parse_lenient(bytes, Some(upper.pseudo), upper.checksums()) {
        Ok(Lenient::Whole(udp)) => {
            cx.out.enter(Proto::Udp);
            cx.out.push_uint(Field::UdpSrcport, udp.src_port());
            cx.out.push_uint(Field::UdpDstport, udp.dst_port());
            cx.out.push_uint(Field::UdpLength, udp.length());
            cx.out.push_uint(
                Field::UdpChecksumStatus,
                status(false, udp.checksum_status()),
            );
            cx.data(udp.payload());
        }
        Ok(Lenient::Cut(udp)) => {
            cx.header_cut("udp", bytes.len(), udp::HEADER_LEN);
            cut(cx, &udp);
        }
        Err(e) => cx.malformed(bytes, &e),
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
