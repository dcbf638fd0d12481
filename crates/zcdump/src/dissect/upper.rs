//! The layers above IP: UDP, TCP, ICMP, ICMPv6 (with NDP), IGMP, and the packets quoted
//! inside ICMP errors.

use zerocast_wire::udp::UdpPacket;
use zerocast_wire::{ChecksumPolicy, IpProto, ParseOptions, PseudoHeader};

use super::Cx;
use crate::fields::{Field, Proto};

/// An IP payload ready for the upper-layer dissectors.
pub(super) struct Upper<'a> {
    /// The protocol the IP header (or last extension header) names.
    pub proto: IpProto,
    /// The payload as captured.
    pub bytes: &'a [u8],
    /// For UDP/TCP/ICMPv6 checksums.
    pub pseudo: PseudoHeader,
    /// Whether every byte the upper checksum covers is present (not truncated, not a first
    /// fragment); when not, checksum status is 2 (unverified) as in tshark.
    pub complete: bool,
}

impl Upper<'_> {
    /// Lenient parsing (tshark shows whatever was captured); checksums only when they can
    /// be verified.
    fn options(&self) -> ParseOptions {
        if self.complete {
            ParseOptions::LENIENT
        } else {
            ParseOptions {
                checksum: ChecksumPolicy::Skip,
                ..ParseOptions::LENIENT
            }
        }
    }
}

pub(super) fn dispatch(cx: &mut Cx<'_, '_>, upper: Upper<'_>) {
    match upper.proto {
        IpProto::UDP => udp(cx, &upper),
        _ => cx.data(upper.bytes),
    }
}

fn udp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let udp = match UdpPacket::parse_with(bytes, Some(upper.pseudo), upper.options()) {
        Ok(udp) => udp,
        Err(e) => return cx.malformed(bytes, &e),
    };
    let out = &mut *cx.out;
    out.enter(Proto::Udp);
    out.push_uint(Field::UdpSrcport, udp.src_port());
    out.push_uint(Field::UdpDstport, udp.dst_port());
    out.push_uint(Field::UdpLength, udp.length());
    out.push_uint(Field::UdpChecksumStatus, udp.checksum_status() as u8);
    cx.data(udp.payload());
}
