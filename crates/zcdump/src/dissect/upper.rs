//! The layers above IP: UDP, TCP, ICMP, ICMPv6 (with NDP), IGMP, and the packets quoted
//! inside ICMP errors.

use zerocast_wire::icmpv4::{self, Icmpv4Packet, Icmpv4Partial};
use zerocast_wire::tcp::{self, TcpPacket, TcpPartial};
use zerocast_wire::tcp_options::{TcpOption, TcpOptions};
use zerocast_wire::udp::{self, UdpPacket, UdpPartial};
use zerocast_wire::{ChecksumPolicy, IpProto, Lenient, ParseOptions, PseudoHeader};

use super::{icmpv6, ip, push_some, status, Cx};
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

impl Upper<'_> {
    /// Checksums only when they can be verified.
    pub(super) fn checksums(&self) -> ChecksumPolicy {
        if self.complete {
            ParseOptions::LENIENT.checksum
        } else {
            ChecksumPolicy::Skip
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
            udp_cut(cx, &udp);
        }
        Err(e) => cx.malformed(bytes, &e),
    }
}

fn udp_cut(cx: &mut Cx<'_, '_>, udp: &UdpPartial<&[u8]>) {
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
    let parsed = TcpPacket::parse_lenient(bytes, Some(upper.pseudo), upper.checksums());
    let tcp = match &parsed {
        Ok(Lenient::Whole(tcp)) => tcp,
        Ok(Lenient::Cut(tcp)) => {
            let need = tcp.header_len().unwrap_or(tcp::HEADER_LEN);
            cx.header_cut("tcp", bytes.len(), need);
            return tcp_cut(cx, tcp);
        }
        Err(e) => return cx.malformed(bytes, e),
    };
    // A capture cut inside the options: the fixed fields are all there, the checksum
    // cannot be verified and nothing follows.
    let cut = bytes.len() < tcp.header_len();
    if cut {
        cx.header_cut("tcp", bytes.len(), tcp.header_len());
        cx.out.set_tcp_options_cut();
    }
    let out = &mut *cx.out;
    out.enter(Proto::Tcp);
    out.push_uint(Field::TcpSrcport, tcp.src_port());
    out.push_uint(Field::TcpDstport, tcp.dst_port());
    out.push_uint(Field::TcpSeqRaw, tcp.seq());
    out.push_uint(Field::TcpAckRaw, tcp.ack());
    out.push_uint(Field::TcpHdrLen, tcp.header_len() as u64);
    out.push_uint(Field::TcpFlags, tcp.flags());
    out.push_uint(Field::TcpWindowSizeValue, tcp.window());
    out.push_uint(Field::TcpChecksumStatus, status(cut, tcp.checksum_status()));
    out.push_uint(Field::TcpUrgentPointer, tcp.urgent_pointer());
    if !cut {
        let start = tcp
            .payload()
            .as_ptr()
            .addr()
            .saturating_sub(cx.frame.as_ptr().addr());
        cx.out.set_tcp_payload(start, tcp.payload().len());
    }
    if !OPTION_FIELDS.iter().any(|f| cx.out.wants(*f)) {
        return cx.data(if cut { &[] } else { tcp.payload() });
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
                cut_option(cx, captured, e.offset().saturating_sub(tcp::HEADER_LEN));
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
    if !cut {
        cx.data(tcp.payload());
    }
}

/// What tshark shows of an option that the capture cut (or whose length is broken) at
/// `at` in `options`: its kind once the length byte is there too, and a timestamp's value
/// once its first four bytes are.
fn cut_option(cx: &mut Cx<'_, '_>, options: &[u8], at: usize) {
    let rest = options.get(at..).unwrap_or(&[]);
    if let [kind, _len, data @ ..] = rest {
        cx.out.push_uint(Field::TcpOptionKind, *kind);
        if let (8, [a, b, c, d, ..]) = (kind, data) {
            let tsval = u32::from_be_bytes([*a, *b, *c, *d]);
            cx.out.push_uint(Field::TcpOptionsTimestampTsval, tsval);
        }
    }
}

fn tcp_cut(cx: &mut Cx<'_, '_>, tcp: &TcpPartial<&[u8]>) {
    cx.out.enter(Proto::Tcp);
    // tshark reads the two ports together, and sequence number to window only once all
    // of those 16 bytes are there.
    let (ports, first16) = (tcp.captured_len() >= 4, tcp.captured_len() >= 16);
    let gate = |on: bool, v: Option<u64>| v.filter(|_| on);
    push_some(
        cx.out,
        &[
            (
                Field::TcpSrcport,
                gate(ports, tcp.src_port().map(u64::from)),
            ),
            (
                Field::TcpDstport,
                gate(ports, tcp.dst_port().map(u64::from)),
            ),
            (Field::TcpSeqRaw, gate(first16, tcp.seq().map(u64::from))),
            (Field::TcpAckRaw, gate(first16, tcp.ack().map(u64::from))),
            (
                Field::TcpHdrLen,
                gate(first16, tcp.header_len().map(|l| l as u64)),
            ),
            (Field::TcpFlags, gate(first16, tcp.flags().map(u64::from))),
            (Field::TcpWindowSizeValue, tcp.window().map(u64::from)),
            (Field::TcpChecksumStatus, tcp.checksum().map(|_| 2)),
            (Field::TcpUrgentPointer, tcp.urgent_pointer().map(u64::from)),
        ],
    );
}

fn icmp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let icmp = match Icmpv4Packet::parse_lenient(bytes, upper.checksums()) {
        Ok(Lenient::Whole(icmp)) => icmp,
        Ok(Lenient::Cut(icmp)) => {
            cx.header_cut("icmp", bytes.len(), icmpv4::HEADER_LEN);
            return icmp_cut(cx, &icmp);
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
        ip::ipv4(cx, icmp.body());
    } else {
        cx.data(icmp.body());
    }
}

fn icmp_cut(cx: &mut Cx<'_, '_>, icmp: &Icmpv4Partial<&[u8]>) {
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
