//! The layers above IP: UDP, TCP, ICMP, ICMPv6 (with NDP), IGMP, and the packets quoted
//! inside ICMP errors.

use zerocast_wire::icmpv4::{self, Icmpv4Packet};
use zerocast_wire::tcp::{self, TcpPacket};
use zerocast_wire::tcp_options::{TcpOption, TcpOptions};
use zerocast_wire::udp::{self, UdpPacket};
use zerocast_wire::{ChecksumPolicy, ErrorKind, IpProto, ParseOptions, PseudoHeader};

use super::{icmpv6, ip, padded, Cut, Cx};
use crate::fields::{Field, Proto};

/// An IP payload ready for the upper-layer dissectors.
pub(super) struct Upper<'a> {
    /// The protocol the IP header (or last extension header) names.
    pub proto: IpProto,
    /// The payload as captured.
    pub bytes: &'a [u8],
    /// For UDP/TCP/ICMPv6 checksums.
    pub pseudo: PseudoHeader,
    /// Whether the upper checksum is to be verified: someone reads it and every byte it
    /// covers is present (not truncated, not a first fragment). When not, checksum status
    /// is 2 (unverified) as in tshark.
    pub complete: bool,
}

/// Lenient, and without checksums: for zero-padded copies of cut headers.
pub(super) const UNCHECKED: ParseOptions = ParseOptions {
    checksum: ChecksumPolicy::Skip,
    allow_truncated: true,
};

impl Upper<'_> {
    /// Lenient parsing (tshark shows whatever was captured); checksums only when they can
    /// be verified.
    pub(super) fn options(&self) -> ParseOptions {
        if self.complete {
            ParseOptions::LENIENT
        } else {
            UNCHECKED
        }
    }
}

pub(super) fn dispatch(cx: &mut Cx<'_, '_>, upper: Upper<'_>) {
    match upper.proto {
        IpProto::UDP => udp(cx, &upper),
        IpProto::TCP => tcp(cx, &upper),
        IpProto::ICMP => icmp(cx, &upper),
        IpProto::ICMPV6 => icmpv6::icmpv6(cx, &upper),
        IpProto::IGMP => icmpv6::igmp(cx, &upper),
        _ => cx.data(upper.bytes),
    }
}

fn udp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let copy: [u8; udp::HEADER_LEN];
    let (udp, cut) = match UdpPacket::parse_with(bytes, Some(upper.pseudo), upper.options()) {
        Ok(udp) => (udp, Cut::whole()),
        Err(e) if Cut::is_short(&e, bytes, udp::HEADER_LEN, 1) => {
            copy = padded(bytes);
            match UdpPacket::parse_with(&copy[..], None, UNCHECKED) {
                Ok(udp) => (udp, Cut::at(bytes.len())),
                Err(e) => return cx.malformed(bytes, &e),
            }
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    if cut.is_cut() {
        cx.header_cut("udp", bytes.len(), udp::HEADER_LEN);
    }
    cx.out.enter(Proto::Udp);
    push_captured!(
        cx.out,
        cut,
        [
            (Field::UdpSrcport, udp.src_port().into(), 2),
            (Field::UdpDstport, udp.dst_port().into(), 4),
            (Field::UdpLength, udp.length().into(), 6),
            (
                Field::UdpChecksumStatus,
                cut.status(udp.checksum_status()),
                8,
            ),
        ],
    );
    if !cut.is_cut() {
        cx.data(udp.payload());
    }
}

/// Largest TCP header (data offset 15).
const TCP_MAX_HEADER_LEN: usize = 60;

/// The fields decoded from TCP options; when nothing reads them the options are skipped.
const OPTION_FIELDS: [Field; 5] = [
    Field::TcpOptionKind,
    Field::TcpOptionsMssVal,
    Field::TcpOptionsWscaleShift,
    Field::TcpOptionsTimestampTsval,
    Field::TcpOptionsTimestampTsecr,
];

fn tcp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let copy: [u8; TCP_MAX_HEADER_LEN];
    let (tcp, cut) = match TcpPacket::parse_with(bytes, Some(upper.pseudo), upper.options()) {
        Ok(tcp) => (tcp, Cut::whole()),
        Err(e) if Cut::is_short(&e, bytes, TCP_MAX_HEADER_LEN, 1) => {
            copy = padded(bytes);
            match TcpPacket::parse_with(&copy[..], None, UNCHECKED) {
                Ok(tcp) => (tcp, Cut::at(bytes.len())),
                Err(e) => return cx.malformed(bytes, &e),
            }
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    if cut.is_cut() {
        cx.header_cut("tcp", bytes.len(), tcp.header_len());
    }
    cx.out.enter(Proto::Tcp);
    push_captured!(
        cx.out,
        cut,
        [
            (Field::TcpSrcport, tcp.src_port().into(), 2),
            (Field::TcpDstport, tcp.dst_port().into(), 4),
            (Field::TcpSeqRaw, tcp.seq().into(), 8),
            (Field::TcpAckRaw, tcp.ack().into(), 12),
            (Field::TcpHdrLen, tcp.header_len() as u64, 13),
            (Field::TcpFlags, tcp.flags().into(), 14),
            (Field::TcpWindowSizeValue, tcp.window().into(), 16),
            (
                Field::TcpChecksumStatus,
                cut.status(tcp.checksum_status()),
                18,
            ),
            (Field::TcpUrgentPointer, tcp.urgent_pointer().into(), 20),
        ],
    );
    if !cut.is_cut() {
        let start = tcp
            .payload()
            .as_ptr()
            .addr()
            .saturating_sub(cx.frame.as_ptr().addr());
        cx.out.set_tcp_payload(start, tcp.payload().len());
    }
    if !OPTION_FIELDS.iter().any(|f| cx.out.wants(*f)) {
        return cx.data(if cut.is_cut() { &[] } else { tcp.payload() });
    }
    // Options are read from the captured bytes only, so one cut by the snapshot length
    // ends the walk instead of decoding padding.
    let options_end = tcp.header_len().min(bytes.len());
    let captured = bytes.get(tcp::HEADER_LEN..options_end).unwrap_or(&[]);
    for option in TcpOptions::new(captured) {
        let option = match option {
            Ok(option) => option,
            // An option cut short (or with a broken length) still shows its kind byte, as
            // in tshark; the walk ends there.
            Err(e) => {
                if let ErrorKind::BadOption { kind } = e.kind() {
                    cx.out.push_uint(Field::TcpOptionKind, kind);
                }
                break;
            }
        };
        // Each option's kind, then its values: the text line reads them in this order.
        cx.out.push_uint(Field::TcpOptionKind, option.kind);
        match option.decode() {
            TcpOption::Mss(mss) => cx.out.push_uint(Field::TcpOptionsMssVal, mss),
            TcpOption::WindowScale(shift) => {
                cx.out.push_uint(Field::TcpOptionsWscaleShift, shift);
            }
            TcpOption::Timestamp { tsval, tsecr } => {
                cx.out.push_uint(Field::TcpOptionsTimestampTsval, tsval);
                cx.out.push_uint(Field::TcpOptionsTimestampTsecr, tsecr);
            }
            _ => {}
        }
    }
    if !cut.is_cut() {
        cx.data(tcp.payload());
    }
}

fn icmp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let copy: [u8; icmpv4::HEADER_LEN];
    let (icmp, cut) = match Icmpv4Packet::parse_with(bytes, upper.options()) {
        Ok(icmp) => (icmp, Cut::whole()),
        Err(e) if Cut::is_short(&e, bytes, icmpv4::HEADER_LEN, 1) => {
            copy = padded(bytes);
            match Icmpv4Packet::parse_with(&copy[..], UNCHECKED) {
                Ok(icmp) => (icmp, Cut::at(bytes.len())),
                Err(e) => return cx.malformed(bytes, &e),
            }
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    if cut.is_cut() {
        cx.header_cut("icmp", bytes.len(), icmpv4::HEADER_LEN);
    }
    cx.out.enter(Proto::Icmp);
    push_captured!(
        cx.out,
        cut,
        [
            (Field::IcmpType, icmp.msg_type().into(), 1),
            (Field::IcmpCode, icmp.code().into(), 2),
            (
                Field::IcmpChecksumStatus,
                cut.status(icmp.checksum_status()),
                4,
            ),
        ],
    );
    if let Some((ident, seq)) = icmp.ident_seq() {
        push_captured!(
            cx.out,
            cut,
            [
                (Field::IcmpIdent, ident.into(), 6),
                (Field::IcmpSeq, seq.into(), 8),
            ],
        );
    }
    if cut.is_cut() {
        return;
    }
    if icmp.is_error() && !cx.out.in_quoted() {
        // The offending datagram's header and first bytes: a second set of `ip.*` (and
        // transport) occurrences, as tshark shows them.
        cx.out.begin_quoted();
        ip::ipv4(cx, icmp.body());
    } else {
        cx.data(icmp.body());
    }
}
