//! IPv4, IPv6 and UDP summaries: `IP src[.port] > dst[.port]: ` and what the transport
//! says, as `tcpdump -n` prints them.

use super::line::{Line, Network};
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// IPv4.
pub(super) const IPV4: TextSummary = TextSummary {
    proto: Proto::Ip,
    fields: &[
        Field::IpSrc,
        Field::IpDst,
        Field::IpLen,
        Field::IpHdrLen,
        Field::IpProto,
        Field::IpFragOffset,
        // The ports, read from the transport's layer.
        Field::TcpSrcport,
        Field::TcpDstport,
        Field::UdpSrcport,
        Field::UdpDstport,
    ],
    write: ipv4,
};

/// IPv6.
pub(super) const IPV6: TextSummary = TextSummary {
    proto: Proto::Ipv6,
    fields: &[
        Field::Ipv6Src,
        Field::Ipv6Dst,
        Field::Ipv6Plen,
        Field::Ipv6Nxt,
        Field::Ipv6FraghdrOffset,
        Field::Ipv6HopoptsLenOct,
        Field::Ipv6DstoptsLenOct,
        Field::TcpSrcport,
        Field::TcpDstport,
        Field::UdpSrcport,
        Field::UdpDstport,
    ],
    write: ipv6,
};

/// UDP: an application's summary, else `UDP, length N`.
pub(super) const UDP: TextSummary = TextSummary {
    proto: Proto::Udp,
    fields: &[Field::UdpLength],
    write: udp,
};

/// The IPv4 fields a line shows, in one pass over the layer.
#[derive(Default)]
struct Ipv4Header {
    src: Option<Value>,
    dst: Option<Value>,
    len: u64,
    hdr_len: u64,
    frag_offset: u64,
    proto: u64,
}

impl Ipv4Header {
    fn of(entries: &[(Field, Value)]) -> Ipv4Header {
        let mut h = Ipv4Header::default();
        for &(field, value) in entries {
            match (field, value) {
                (Field::IpSrc, v) if h.src.is_none() => h.src = Some(v),
                (Field::IpDst, v) if h.dst.is_none() => h.dst = Some(v),
                (Field::IpLen, Value::Uint(v)) => h.len = v,
                (Field::IpHdrLen, Value::Uint(v)) => h.hdr_len = v,
                (Field::IpFragOffset, Value::Uint(v)) => h.frag_offset = v,
                (Field::IpProto, Value::Uint(v)) => h.proto = v,
                _ => {}
            }
        }
        h
    }
}

fn ipv4(line: &mut Line<'_>) {
    line.put(b"IP ");
    let h = Ipv4Header::of(line.entries());
    addresses(line, h.src, h.dst);
    // A later fragment: tcpdump names the protocol and nothing else.
    if h.frag_offset != 0 {
        line.put(b" ip-proto-");
        line.dec(h.proto);
        return;
    }
    let payload_len = h.len.saturating_sub(h.hdr_len);
    upper(line, h.src, h.dst, payload_len, Field::IpProto);
}

fn ipv6(line: &mut Line<'_>) {
    line.put(b"IP6 ");
    let (src, dst) = (line.get(Field::Ipv6Src), line.get(Field::Ipv6Dst));
    addresses(line, src, dst);
    let Some(payload_len) = extensions(line) else {
        return;
    };
    upper(line, src, dst, payload_len, Field::Ipv6Nxt);
}

/// `src[.port] > dst[.port]:`, the ports from a TCP or UDP layer right above.
fn addresses(line: &mut Line<'_>, src: Option<Value>, dst: Option<Value>) {
    let (sport, dport) = match line.next_proto() {
        Some(Proto::Tcp) => (
            line.next_uint(Field::TcpSrcport),
            line.next_uint(Field::TcpDstport),
        ),
        Some(Proto::Udp) => (
            line.next_uint(Field::UdpSrcport),
            line.next_uint(Field::UdpDstport),
        ),
        _ => (None, None),
    };
    endpoint(line, src, sport);
    line.put(b" > ");
    endpoint(line, dst, dport);
    line.byte(b':');
}

fn endpoint(line: &mut Line<'_>, addr: Option<Value>, port: Option<u64>) {
    match addr {
        Some(a) => line.endpoint(a, port),
        None => {
            if let Some(p) = port {
                line.byte(b'.');
                line.dec(p);
            }
        }
    }
}

/// The transport's summary, or `ip-proto-N LEN`.
fn upper(
    line: &mut Line<'_>,
    src: Option<Value>,
    dst: Option<Value>,
    payload_len: u64,
    proto_field: Field,
) {
    line.network = Network {
        payload_len,
        addresses: src.zip(dst),
    };
    if !line.next_with(b" ") {
        line.put(b" ip-proto-");
        line.dec(line.uint(proto_field).unwrap_or(0));
        line.byte(b' ');
        line.dec(payload_len);
    }
}

/// tcpdump's words for IPv6 extension headers (` HBH`, ` DSTOPT`, ` frag (offset|length)`);
/// returns the upper layer's length, or `None` for a later fragment, whose line ends here.
fn extensions(line: &mut Line<'_>) -> Option<u64> {
    let mut len = line.uint(Field::Ipv6Plen).unwrap_or(0);
    let mut offset = None;
    for &(field, value) in line.entries() {
        let Value::Uint(v) = value else { continue };
        match field {
            Field::Ipv6HopoptsLenOct => {
                line.put(b" HBH");
                len = len.saturating_sub(v);
            }
            Field::Ipv6DstoptsLenOct => {
                line.put(b" DSTOPT");
                len = len.saturating_sub(v);
            }
            Field::Ipv6FraghdrOffset if offset.is_none() => offset = Some(v),
            _ => {}
        }
    }
    if let Some(offset) = offset {
        len = len.saturating_sub(8);
        line.put(b" frag (");
        line.dec(offset * 8);
        line.byte(b'|');
        line.dec(len);
        line.byte(b')');
        if offset != 0 {
            return None;
        }
    }
    Some(len)
}

fn udp(line: &mut Line<'_>) {
    if udp_header_cut(line) {
        // tcpdump's UDP printer stops before the payload when the header is not all there.
        line.put(b" [|udp]");
        return;
    }
    if !line.next() {
        line.put(b"UDP, length ");
        line.dec(line.uint(Field::UdpLength).unwrap_or(8).saturating_sub(8));
    }
}

/// Whether the snapshot length cut this UDP header over IPv6. The dissector keeps no mark
/// of it, so it is worked out from lengths: the IPv6 payload minus the bytes the capture
/// lost from the frame's end is what was captured of the UDP datagram. (An IPv6 packet
/// with a UDP header never needs Ethernet padding, so no padding counts as lost bytes;
/// IPv4's short packets do, which is why IPv4 keeps `UDP, length N`.) A layer after UDP
/// means the header was whole.
fn udp_header_cut(line: &Line<'_>) -> bool {
    line.prev_proto() == Some(Proto::Ipv6)
        && line.next_proto().is_none()
        && line
            .lost()
            .is_some_and(|lost| line.network.payload_len.saturating_sub(lost) < 8)
}
