//! The default output: one tcpdump-style line per frame (`tcpdump -n` conventions: time of
//! day, numeric addresses with `.port`, flags in brackets, sequence numbers relative to the
//! start of each TCP conversation or absolute as with `-S`, option lists, payload lengths),
//! built from the same field set as every other output.

mod icmp;
mod tcp;

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
/// let meta = FrameMeta { number: 1, ts_sec: 3600 + 61, ts_nsec: 5_000, frame: &[] };
/// let mut out = Vec::new();
/// TextWriter::default().frame(&meta, &f, &mut out);
/// assert_eq!(
///     String::from_utf8(out)?,
///     "01:01:01.000005 IP 10.77.0.1.49606 > 10.77.0.2.8080: Flags [S], seq 7, win 64240, length 0\n"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TextWriter {
    /// tcpdump's relative sequence numbers; `None` prints them absolute (`-S`).
    bases: Option<tcp::SequenceBases>,
}

impl TextWriter {
    /// A writer printing TCP sequence numbers relative to each conversation's first
    /// acknowledging segment, as `tcpdump -n` does.
    ///
    /// ```
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # use zcdump::output::{FrameMeta, LineWriter, TextWriter};
    /// # // One TCP segment's fields (no payload), as the dissector pushes them.
    /// # fn segment(from: ([u8; 4], u16), to: ([u8; 4], u16), flags: u16, seq: u32, ack: u32)
    /// #     -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Ip);
    /// #     f.push_uint(Field::IpLen, 40u16);
    /// #     f.push_uint(Field::IpHdrLen, 20u8);
    /// #     f.push(Field::IpSrc, Value::Ipv4(from.0));
    /// #     f.push(Field::IpDst, Value::Ipv4(to.0));
    /// #     f.enter(Proto::Tcp);
    /// #     f.push_uint(Field::TcpSrcport, from.1);
    /// #     f.push_uint(Field::TcpDstport, to.1);
    /// #     f.push_uint(Field::TcpFlags, flags);
    /// #     f.push_uint(Field::TcpSeqRaw, seq);
    /// #     f.push_uint(Field::TcpAckRaw, ack);
    /// #     f.push_uint(Field::TcpWindowSizeValue, 502u16);
    /// #     f.push_uint(Field::TcpHdrLen, 20u8);
    /// #     f
    /// # }
    /// # fn line(w: &mut TextWriter, f: &FrameFields) -> String {
    /// #     let mut out = Vec::new();
    /// #     w.frame(&FrameMeta::default(), f, &mut out);
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let (client, server) = (([10, 77, 0, 1], 49606), ([10, 77, 0, 2], 8080));
    /// let syn_ack = segment(server, client, 0x012, 5000, 8);
    /// let ack = segment(client, server, 0x010, 8, 5001);
    /// let mut w = TextWriter::relative();
    /// line(&mut w, &syn_ack); // the conversation's first acknowledging segment sets the bases
    /// assert!(line(&mut w, &ack).contains("ack 1,"));
    /// ```
    #[must_use]
    pub fn relative() -> TextWriter {
        TextWriter {
            bases: Some(tcp::SequenceBases::default()),
        }
    }

    /// A writer printing absolute TCP sequence numbers, as `tcpdump -S` does (also what
    /// [`TextWriter::default`] gives).
    ///
    /// ```
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # use zcdump::output::{FrameMeta, LineWriter, TextWriter};
    /// # // One TCP segment's fields (no payload), as the dissector pushes them.
    /// # fn segment(from: ([u8; 4], u16), to: ([u8; 4], u16), flags: u16, seq: u32, ack: u32)
    /// #     -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Ip);
    /// #     f.push_uint(Field::IpLen, 40u16);
    /// #     f.push_uint(Field::IpHdrLen, 20u8);
    /// #     f.push(Field::IpSrc, Value::Ipv4(from.0));
    /// #     f.push(Field::IpDst, Value::Ipv4(to.0));
    /// #     f.enter(Proto::Tcp);
    /// #     f.push_uint(Field::TcpSrcport, from.1);
    /// #     f.push_uint(Field::TcpDstport, to.1);
    /// #     f.push_uint(Field::TcpFlags, flags);
    /// #     f.push_uint(Field::TcpSeqRaw, seq);
    /// #     f.push_uint(Field::TcpAckRaw, ack);
    /// #     f.push_uint(Field::TcpWindowSizeValue, 502u16);
    /// #     f.push_uint(Field::TcpHdrLen, 20u8);
    /// #     f
    /// # }
    /// # fn line(w: &mut TextWriter, f: &FrameFields) -> String {
    /// #     let mut out = Vec::new();
    /// #     w.frame(&FrameMeta::default(), f, &mut out);
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let (client, server) = (([10, 77, 0, 1], 49606), ([10, 77, 0, 2], 8080));
    /// let syn_ack = segment(server, client, 0x012, 5000, 8);
    /// let ack = segment(client, server, 0x010, 8, 5001);
    /// let mut w = TextWriter::absolute();
    /// line(&mut w, &syn_ack);
    /// assert!(line(&mut w, &ack).contains("ack 5001,"));
    /// ```
    #[must_use]
    pub fn absolute() -> TextWriter {
        TextWriter { bases: None }
    }
}

/// Every field a summary line may show.
const TEXT_FIELDS: &[Field] = &[
    Field::FrameLen,
    Field::FrameCapLen,
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
    Field::TcpOptionKind,
    Field::TcpOptionsMssVal,
    Field::TcpOptionsWscaleShift,
    Field::TcpOptionsTimestampTsval,
    Field::TcpOptionsTimestampTsecr,
    Field::UdpSrcport,
    Field::UdpDstport,
    Field::UdpLength,
    Field::IcmpType,
    Field::IcmpCode,
    Field::IcmpIdent,
    Field::IcmpSeq,
    Field::Icmpv6Type,
    Field::Icmpv6Code,
    Field::Icmpv6EchoIdentifier,
    Field::Icmpv6EchoSequenceNumber,
    Field::Icmpv6MldrNbMcastRecords,
    Field::Ipv6HopoptsLenOct,
    Field::Ipv6DstoptsLenOct,
    Field::Ipv6FraghdrMore,
    Field::IpFragOffset,
    Field::IgmpNumGrpRecs,
    Field::Icmpv6NdNsTargetAddress,
    Field::Icmpv6NdNaTargetAddress,
    Field::IgmpVersion,
    Field::IgmpType,
];

impl LineWriter for TextWriter {
    fn fields_read(&self) -> FieldMask {
        FieldMask::of(TEXT_FIELDS)
    }

    fn frame(&mut self, meta: &FrameMeta<'_>, f: &FrameFields, out: &mut Vec<u8>) {
        write_time(out, meta);
        out.push(b' ');
        write_tags(out, f);
        if let Some(n) = f.link_not_decoded() {
            out.extend_from_slice(b"[link type ");
            write_dec(out, u64::from(n));
            out.extend_from_slice(b" not decoded]");
        } else if f.path().contains(&Proto::Arp) {
            write_arp(out, f);
        } else if f.path().contains(&Proto::Ip) {
            out.extend_from_slice(b"IP ");
            write_transport(out, f, Proto::Ip, self.bases.as_mut(), meta.frame);
        } else if f.path().contains(&Proto::Ipv6) {
            out.extend_from_slice(b"IP6 ");
            write_transport(out, f, Proto::Ipv6, self.bases.as_mut(), meta.frame);
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
        // Text needs its frame; the summaries that show text read it from there.
        Value::Present | Value::Text(_) => {}
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
fn write_transport(
    out: &mut Vec<u8>,
    f: &FrameFields,
    ip: Proto,
    bases: Option<&mut tcp::SequenceBases>,
    frame: &[u8],
) {
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
    out.push(b':');
    let upper_len = if ip == Proto::Ip {
        // A later fragment: tcpdump names the protocol and nothing else.
        if f.uint(Field::IpFragOffset).is_some_and(|o| o != 0) {
            out.extend_from_slice(b" ip-proto-");
            write_dec(out, f.uint(Field::IpProto).unwrap_or(0));
            return;
        }
        let total = f.uint(Field::IpLen).unwrap_or(0);
        total.saturating_sub(f.uint(Field::IpHdrLen).unwrap_or(0))
    } else {
        match write_ipv6_extensions(out, f) {
            Some(len) => len,
            None => return,
        }
    };
    out.push(b' ');
    if f.path().contains(&Proto::Tcp) {
        let endpoints = match (src, dst, ports) {
            (Some(src), Some(dst), Some((Some(sport), Some(dport)))) => Some(tcp::Endpoints {
                src,
                dst,
                sport: sport as u16,
                dport: dport as u16,
            }),
            _ => None,
        };
        tcp::write_tcp(out, f, upper_len, endpoints.as_ref(), bases, frame);
    } else if f.path().contains(&Proto::Udp) {
        out.extend_from_slice(b"UDP, length ");
        write_dec(out, f.uint(Field::UdpLength).unwrap_or(8).saturating_sub(8));
    } else if f.path().contains(&Proto::Icmp) {
        icmp::write_icmp(out, f, upper_len);
    } else if f.path().contains(&Proto::Icmpv6) {
        icmp::write_icmpv6(out, f, upper_len);
    } else if f.path().contains(&Proto::Igmp) {
        icmp::write_igmp(out, f);
    } else {
        out.extend_from_slice(b"ip-proto-");
        let proto = f
            .uint(Field::IpProto)
            .or_else(|| f.uint(Field::Ipv6Nxt))
            .unwrap_or(0);
        write_dec(out, proto);
        out.push(b' ');
        write_dec(out, upper_len);
    }
}

/// tcpdump's words for IPv6 extension headers (`HBH `, `DSTOPT `, `frag (offset|length)`);
/// returns the upper layer's length, or `None` for a later fragment, whose line ends here.
fn write_ipv6_extensions(out: &mut Vec<u8>, f: &FrameFields) -> Option<u64> {
    let mut len = f.uint(Field::Ipv6Plen).unwrap_or(0);
    for v in f.all(Field::Ipv6HopoptsLenOct) {
        out.extend_from_slice(b" HBH");
        len = len.saturating_sub(uint(v));
    }
    for v in f.all(Field::Ipv6DstoptsLenOct) {
        out.extend_from_slice(b" DSTOPT");
        len = len.saturating_sub(uint(v));
    }
    if let Some(offset) = f.uint(Field::Ipv6FraghdrOffset) {
        len = len.saturating_sub(8);
        out.extend_from_slice(b" frag (");
        write_dec(out, offset * 8);
        out.push(b'|');
        write_dec(out, len);
        out.push(b')');
        if offset != 0 {
            return None;
        }
    }
    Some(len)
}

fn uint(v: Value) -> u64 {
    match v {
        Value::Uint(n) => n,
        _ => 0,
    }
}
