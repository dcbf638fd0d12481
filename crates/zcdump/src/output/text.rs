//! The default output: one tcpdump-style line per frame (`tcpdump -nS` conventions: time of
//! day, numeric addresses with `.port`, flags in brackets, absolute sequence numbers, payload
//! lengths), built from the same field set as every other output.

use super::{FrameMeta, LineWriter};
use crate::fields::format::{write_dec, write_ipv4, write_ipv6, write_mac};
use crate::fields::{Field, FieldMask, FrameFields, Proto, Value};

/// Prints tcpdump-style summary lines (times are UTC).
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// use zcdump::output::{FrameMeta, LineWriter, TextWriter};
/// let mut f = FrameFields::default();
/// f.enter(Proto::Ip);
/// f.push_uint(Field::IpLen, 60u16);
/// f.push_uint(Field::IpHdrLen, 20u8);
/// f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 1]));
/// f.push(Field::IpDst, Value::Ipv4([10, 77, 0, 2]));
/// f.enter(Proto::Tcp);
/// f.push_uint(Field::TcpSrcport, 49606u16);
/// f.push_uint(Field::TcpDstport, 8080u16);
/// f.push_uint(Field::TcpFlags, 0x002u16);
/// f.push_uint(Field::TcpSeqRaw, 7u32);
/// f.push_uint(Field::TcpWindowSizeValue, 64240u16);
/// f.push_uint(Field::TcpHdrLen, 40u8);
/// let meta = FrameMeta { number: 1, ts_sec: 3600 + 61, ts_nsec: 5_000 };
/// let mut out = Vec::new();
/// TextWriter.frame(&meta, &f, &mut out);
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "01:01:01.000005 IP 10.77.0.1.49606 > 10.77.0.2.8080: Flags [S], seq 7, win 64240, length 0\n"
/// );
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TextWriter;

/// Every field a summary line may show.
const TEXT_FIELDS: &[Field] = &[
    Field::EthSrc,
    Field::EthDst,
    Field::EthType,
    Field::VlanId,
    Field::VlanPriority,
    Field::Ieee8021adId,
    Field::ArpOpcode,
    Field::ArpSrcHwMac,
    Field::ArpSrcProtoIpv4,
    Field::ArpDstProtoIpv4,
    Field::IpSrc,
    Field::IpDst,
    Field::IpLen,
    Field::IpHdrLen,
    Field::IpProto,
    Field::Ipv6Src,
    Field::Ipv6Dst,
    Field::Ipv6Plen,
    Field::Ipv6Nxt,
    Field::Ipv6FraghdrOffset,
    Field::TcpSrcport,
    Field::TcpDstport,
    Field::TcpFlags,
    Field::TcpSeqRaw,
    Field::TcpAckRaw,
    Field::TcpWindowSizeValue,
    Field::TcpHdrLen,
    Field::TcpUrgentPointer,
    Field::UdpSrcport,
    Field::UdpDstport,
    Field::UdpLength,
    Field::IcmpType,
    Field::IcmpCode,
    Field::IcmpIdent,
    Field::IcmpSeq,
    Field::Icmpv6Type,
    Field::Icmpv6NdNsTargetAddress,
    Field::Icmpv6NdNaTargetAddress,
    Field::IgmpVersion,
    Field::IgmpType,
];

impl LineWriter for TextWriter {
    fn fields_read(&self) -> FieldMask {
        FieldMask::of(TEXT_FIELDS)
    }

    fn frame(&self, meta: &FrameMeta, f: &FrameFields, out: &mut Vec<u8>) {
        write_time(out, meta);
        out.push(b' ');
        write_tags(out, f);
        if f.path().contains(&Proto::Arp) {
            write_arp(out, f);
        } else if f.path().contains(&Proto::Ip) {
            out.extend_from_slice(b"IP ");
            write_transport(out, f, Proto::Ip);
        } else if f.path().contains(&Proto::Ipv6) {
            out.extend_from_slice(b"IP6 ");
            write_transport(out, f, Proto::Ipv6);
        } else if let (Some(Value::Mac(src)), Some(Value::Mac(dst))) =
            (f.first(Field::EthSrc), f.first(Field::EthDst))
        {
            write_mac(out, src);
            out.extend_from_slice(b" > ");
            write_mac(out, dst);
            if let Some(t) = f.uint(Field::EthType) {
                out.extend_from_slice(b", ethertype ");
                crate::fields::format::write_hex(out, t, 4);
            }
        } else {
            out.extend_from_slice(b"unknown link-layer payload");
        }
        if let Some(m) = f.malformed() {
            out.extend_from_slice(b" [malformed ");
            out.extend_from_slice(m.layer.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(m.reason.as_bytes());
            out.push(b']');
        }
        out.push(b'\n');
    }
}

fn write_time(out: &mut Vec<u8>, meta: &FrameMeta) {
    let day = meta.ts_sec % 86_400;
    for (i, part) in [day / 3600, (day / 60) % 60, day % 60]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(b':');
        }
        if part < 10 {
            out.push(b'0');
        }
        write_dec(out, part);
    }
    out.push(b'.');
    let micros = u64::from(meta.ts_nsec / 1000);
    let mut div = 100_000;
    while div > 0 {
        out.push(b'0' + ((micros / div) % 10) as u8);
        div /= 10;
    }
}

fn write_tags(out: &mut Vec<u8>, f: &FrameFields) {
    for id in f.all(Field::Ieee8021adId) {
        out.extend_from_slice(b"802.1ad ");
        write_val(out, id);
        out.extend_from_slice(b", ");
    }
    let mut prios = f.all(Field::VlanPriority);
    for id in f.all(Field::VlanId) {
        out.extend_from_slice(b"vlan ");
        write_val(out, id);
        if let Some(p) = prios.next() {
            out.extend_from_slice(b", p ");
            write_val(out, p);
        }
        out.extend_from_slice(b", ");
    }
}

fn write_val(out: &mut Vec<u8>, v: Value) {
    match v {
        Value::Uint(n) => write_dec(out, n),
        Value::Ipv4(a) => write_ipv4(out, a),
        Value::Ipv6(a) => write_ipv6(out, a),
        Value::Mac(m) => write_mac(out, m),
        Value::Present => {}
    }
}

fn write_arp(out: &mut Vec<u8>, f: &FrameFields) {
    let tpa = f.first(Field::ArpDstProtoIpv4);
    let spa = f.first(Field::ArpSrcProtoIpv4);
    match f.uint(Field::ArpOpcode) {
        Some(1) => {
            out.extend_from_slice(b"ARP, Request who-has ");
            tpa.into_iter().for_each(|v| write_val(out, v));
            out.extend_from_slice(b" tell ");
            spa.into_iter().for_each(|v| write_val(out, v));
        }
        Some(2) => {
            out.extend_from_slice(b"ARP, Reply ");
            spa.into_iter().for_each(|v| write_val(out, v));
            out.extend_from_slice(b" is-at ");
            if let Some(v) = f.first(Field::ArpSrcHwMac) {
                write_val(out, v);
            }
        }
        other => {
            out.extend_from_slice(b"ARP, opcode ");
            write_dec(out, other.unwrap_or(0));
        }
    }
    out.extend_from_slice(b", length ");
    write_dec(out, zerocast_wire::arp::PACKET_LEN as u64);
}

/// Appends `src[.port] > dst[.port]: ...` for the first (outer) network header.
fn write_transport(out: &mut Vec<u8>, f: &FrameFields, ip: Proto) {
    let (src, dst) = if ip == Proto::Ip {
        (f.first(Field::IpSrc), f.first(Field::IpDst))
    } else {
        (f.first(Field::Ipv6Src), f.first(Field::Ipv6Dst))
    };
    let ports = if f.path().contains(&Proto::Tcp) {
        Some((f.uint(Field::TcpSrcport), f.uint(Field::TcpDstport)))
    } else if f.path().contains(&Proto::Udp) {
        Some((f.uint(Field::UdpSrcport), f.uint(Field::UdpDstport)))
    } else {
        None
    };
    let endpoint = |out: &mut Vec<u8>, addr: Option<Value>, port: Option<u64>| {
        addr.into_iter().for_each(|a| write_val(out, a));
        if let Some(p) = port {
            out.push(b'.');
            write_dec(out, p);
        }
    };
    endpoint(out, src, ports.and_then(|p| p.0));
    out.extend_from_slice(b" > ");
    endpoint(out, dst, ports.and_then(|p| p.1));
    out.extend_from_slice(b": ");
    let net_payload = network_payload_len(f, ip);
    if f.path().contains(&Proto::Tcp) {
        write_tcp(out, f, net_payload);
    } else if f.path().contains(&Proto::Udp) {
        out.extend_from_slice(b"UDP, length ");
        write_dec(out, f.uint(Field::UdpLength).unwrap_or(8).saturating_sub(8));
    } else if f.path().contains(&Proto::Icmp) {
        write_icmp(out, f, net_payload);
    } else if f.path().contains(&Proto::Icmpv6) {
        write_icmpv6(out, f, net_payload);
    } else if f.path().contains(&Proto::Igmp) {
        out.extend_from_slice(b"igmp");
        let version = f.uint(Field::IgmpVersion).unwrap_or(0);
        match f.uint(Field::IgmpType) {
            Some(0x11) => {
                out.extend_from_slice(b" query v");
                write_dec(out, version);
            }
            Some(0x12 | 0x16 | 0x22) => {
                out.extend_from_slice(b" v");
                write_dec(out, version);
                out.extend_from_slice(b" report");
            }
            Some(0x17) => out.extend_from_slice(b" leave"),
            Some(t) => {
                out.extend_from_slice(b" type ");
                crate::fields::format::write_hex(out, t, 2);
            }
            None => {}
        }
    } else if let Some(frag) = f.uint(Field::Ipv6FraghdrOffset) {
        out.extend_from_slice(b"frag (offset ");
        write_dec(out, frag * 8);
        out.extend_from_slice(b"), length ");
        write_dec(out, net_payload);
    } else {
        out.extend_from_slice(b"ip-proto-");
        let proto = f
            .uint(Field::IpProto)
            .or_else(|| f.uint(Field::Ipv6Nxt))
            .unwrap_or(0);
        write_dec(out, proto);
        out.extend_from_slice(b", length ");
        write_dec(out, net_payload);
    }
}

/// Bytes after the network header, from the header's own length fields.
fn network_payload_len(f: &FrameFields, ip: Proto) -> u64 {
    if ip == Proto::Ip {
        let total = f.uint(Field::IpLen).unwrap_or(0);
        total.saturating_sub(f.uint(Field::IpHdrLen).unwrap_or(0))
    } else {
        f.uint(Field::Ipv6Plen).unwrap_or(0)
    }
}

fn write_tcp(out: &mut Vec<u8>, f: &FrameFields, net_payload: u64) {
    let flags = f.uint(Field::TcpFlags).unwrap_or(0);
    out.extend_from_slice(b"Flags [");
    for (bit, c) in [
        (0x01, b'F'),
        (0x02, b'S'),
        (0x04, b'R'),
        (0x08, b'P'),
        (0x20, b'U'),
        (0x40, b'E'),
        (0x80, b'W'),
    ] {
        if flags & bit != 0 {
            out.push(c);
        }
    }
    if flags & 0x10 != 0 {
        out.push(b'.');
    }
    if flags & 0xdf == 0 {
        out.extend_from_slice(b"none");
    }
    out.push(b']');
    // tcpdump -S conventions: absolute sequence numbers, a range when there is payload, no
    // sequence number on a bare acknowledgement.
    let payload = net_payload.saturating_sub(f.uint(Field::TcpHdrLen).unwrap_or(0));
    let seq = f.uint(Field::TcpSeqRaw).unwrap_or(0);
    if payload > 0 || flags & 0x07 != 0 {
        out.extend_from_slice(b", seq ");
        write_dec(out, seq);
        if payload > 0 {
            out.push(b':');
            write_dec(out, (seq + payload) & 0xffff_ffff);
        }
    }
    if flags & 0x10 != 0 {
        out.extend_from_slice(b", ack ");
        write_dec(out, f.uint(Field::TcpAckRaw).unwrap_or(0));
    }
    out.extend_from_slice(b", win ");
    write_dec(out, f.uint(Field::TcpWindowSizeValue).unwrap_or(0));
    if flags & 0x20 != 0 {
        out.extend_from_slice(b", urg ");
        write_dec(out, f.uint(Field::TcpUrgentPointer).unwrap_or(0));
    }
    out.extend_from_slice(b", length ");
    write_dec(out, payload);
}

fn write_icmp(out: &mut Vec<u8>, f: &FrameFields, net_payload: u64) {
    out.extend_from_slice(b"ICMP ");
    if let Some(()) = write_port_unreachable(out, f) {
        out.extend_from_slice(b", length ");
        write_dec(out, net_payload);
        return;
    }
    let name: &[u8] = match (f.uint(Field::IcmpType), f.uint(Field::IcmpCode)) {
        (Some(8), _) => b"echo request",
        (Some(0), _) => b"echo reply",
        (Some(3), Some(3)) => b"port unreachable",
        (Some(3), Some(1)) => b"host unreachable",
        (Some(3), Some(4)) => b"need to frag",
        (Some(3), _) => b"unreachable",
        (Some(11), _) => b"time exceeded",
        (Some(5), _) => b"redirect",
        (Some(12), _) => b"parameter problem",
        (Some(13), _) => b"time stamp request",
        (Some(14), _) => b"time stamp reply",
        _ => b"type",
    };
    out.extend_from_slice(name);
    if let (Some(id), Some(seq)) = (f.uint(Field::IcmpIdent), f.uint(Field::IcmpSeq)) {
        out.extend_from_slice(b", id ");
        write_dec(out, id);
        out.extend_from_slice(b", seq ");
        write_dec(out, seq);
    } else if name == b"type" {
        out.push(b' ');
        write_dec(out, f.uint(Field::IcmpType).unwrap_or(0));
    }
    out.extend_from_slice(b", length ");
    write_dec(out, net_payload);
}

fn write_icmpv6(out: &mut Vec<u8>, f: &FrameFields, net_payload: u64) {
    out.extend_from_slice(b"ICMP6, ");
    let t = f.uint(Field::Icmpv6Type).unwrap_or(0);
    let name: &[u8] = match t {
        1 => b"destination unreachable",
        2 => b"packet too big",
        3 => b"time exceeded in-transit",
        4 => b"parameter problem",
        128 => b"echo request",
        129 => b"echo reply",
        130 => b"multicast listener query",
        131 => b"multicast listener report",
        132 => b"multicast listener done",
        133 => b"router solicitation",
        134 => b"router advertisement",
        135 => b"neighbor solicitation",
        136 => b"neighbor advertisement",
        137 => b"redirect",
        143 => b"multicast listener report v2",
        _ => b"type",
    };
    out.extend_from_slice(name);
    if name == b"type" {
        out.push(b' ');
        write_dec(out, t);
    }
    let target = f
        .first(Field::Icmpv6NdNsTargetAddress)
        .map(|a| (&b"who has "[..], a))
        .or_else(|| {
            f.first(Field::Icmpv6NdNaTargetAddress)
                .map(|a| (&b"tgt is "[..], a))
        });
    if let Some((label, addr)) = target {
        out.extend_from_slice(b", ");
        out.extend_from_slice(label);
        write_val(out, addr);
    }
    out.extend_from_slice(b", length ");
    write_dec(out, net_payload);
}

/// tcpdump's `10.77.0.2 udp port 40009 unreachable`, from the quoted datagram's fields
/// (their second `ip.*` occurrences and the quoted transport's ports).
fn write_port_unreachable(out: &mut Vec<u8>, f: &FrameFields) -> Option<()> {
    if (f.uint(Field::IcmpType), f.uint(Field::IcmpCode)) != (Some(3), Some(3)) {
        return None;
    }
    let dst = f.all(Field::IpDst).nth(1)?;
    let (name, port): (&[u8], _) = match f.all(Field::IpProto).nth(1) {
        Some(Value::Uint(17)) => (b"udp", f.uint(Field::UdpDstport)?),
        Some(Value::Uint(6)) => (b"tcp", f.uint(Field::TcpDstport)?),
        _ => return None,
    };
    write_val(out, dst);
    out.push(b' ');
    out.extend_from_slice(name);
    out.extend_from_slice(b" port ");
    write_dec(out, port);
    out.extend_from_slice(b" unreachable");
    Some(())
}
