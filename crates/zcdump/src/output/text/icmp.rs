//! The ICMP, ICMPv6 and IGMP parts of a text line, in `tcpdump -n`'s words.

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// ICMP.
pub(super) const ICMP: TextSummary = TextSummary {
    proto: Proto::Icmp,
    fields: &[
        Field::IcmpType,
        Field::IcmpCode,
        Field::IcmpIdent,
        Field::IcmpSeq,
        // The quoted packet's, for port unreachable.
        Field::IpDst,
        Field::IpProto,
        Field::UdpDstport,
        Field::TcpDstport,
    ],
    write: write_icmp,
};

/// ICMPv6.
pub(super) const ICMPV6: TextSummary = TextSummary {
    proto: Proto::Icmpv6,
    fields: &[
        Field::Icmpv6Type,
        Field::Icmpv6Code,
        Field::Icmpv6EchoIdentifier,
        Field::Icmpv6EchoSequenceNumber,
        Field::Icmpv6MldrNbMcastRecords,
        Field::Icmpv6NdNsTargetAddress,
        Field::Icmpv6NdNaTargetAddress,
        // The quoted packet's, for destination unreachable.
        Field::Ipv6Dst,
        Field::Ipv6Nxt,
        Field::UdpDstport,
        Field::TcpDstport,
    ],
    write: write_icmpv6,
};

/// IGMP.
pub(super) const IGMP: TextSummary = TextSummary {
    proto: Proto::Igmp,
    fields: &[Field::IgmpVersion, Field::IgmpType, Field::IgmpNumGrpRecs],
    write: write_igmp,
};

fn write_icmp(line: &mut Line<'_>) {
    let net_payload = line.network.payload_len;
    let f = line.fields();
    let echo_like = matches!(
        f.uint(Field::IcmpType),
        Some(0 | 8 | 13 | 14 | 15 | 16) | None
    );
    if line.snapped() && echo_like && f.uint(Field::IcmpSeq).is_none() {
        // The capture ended inside the 8-byte header: tcpdump prints nothing of it.
        line.put(b" [|icmp]");
        return;
    }
    line.put(b"ICMP ");
    if let Some(()) = write_port_unreachable(line) {
        line.put(b", length ");
        line.dec(net_payload);
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
    line.put(name);
    if let (Some(id), Some(seq)) = (f.uint(Field::IcmpIdent), f.uint(Field::IcmpSeq)) {
        line.put(b", id ");
        line.dec(id);
        line.put(b", seq ");
        line.dec(seq);
    } else if name == b"type" {
        line.byte(b' ');
        line.dec(f.uint(Field::IcmpType).unwrap_or(0));
    }
    line.put(b", length ");
    line.dec(net_payload);
}

fn write_icmpv6(line: &mut Line<'_>) {
    let length = line.network.payload_len;
    let f = line.fields();
    line.put(b"ICMP6, ");
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
    line.put(name);
    if name == b"type" {
        line.byte(b' ');
        line.dec(t);
    }
    // tcpdump stops where it lacks the port of the packet an unreachable quotes.
    if t == 1 && !write_unreachable6(line) {
        line.put(b" [|icmp6]");
        return;
    }
    match t {
        128 | 129 => {
            if let (Some(id), Some(seq)) = (
                f.uint(Field::Icmpv6EchoIdentifier),
                f.uint(Field::Icmpv6EchoSequenceNumber),
            ) {
                line.put(b", id ");
                line.dec(id);
                line.put(b", seq ");
                line.dec(seq);
            }
        }
        143 => {
            if let Some(n) = f.uint(Field::Icmpv6MldrNbMcastRecords) {
                line.put(b", ");
                line.dec(n);
                line.put(b" group record(s)");
            }
        }
        _ => {}
    }
    let target = f
        .first(Field::Icmpv6NdNsTargetAddress)
        .map(|a| (&b"who has "[..], a))
        .or_else(|| {
            f.first(Field::Icmpv6NdNaTargetAddress)
                .map(|a| (&b"tgt is "[..], a))
        });
    if let Some((label, addr)) = target {
        line.put(b", ");
        line.put(label);
        line.value(addr);
    }
    line.put(b", length ");
    line.dec(length);
}

/// tcpdump's reason and destination for an ICMPv6 destination unreachable, from the quoted
/// packet's fields (the second `ipv6.*` occurrences and the quoted transport's port);
/// `false` when the capture ended before what tcpdump reads.
fn write_unreachable6(line: &mut Line<'_>) -> bool {
    let f = line.fields();
    let code = f.uint(Field::Icmpv6Code).unwrap_or(0);
    let reason: &[u8] = match code {
        0 => b"unreachable route",
        1 => b"unreachable prohibited",
        2 => b"beyond scope",
        3 => b"unreachable address",
        4 => b"unreachable port",
        _ => return true,
    };
    line.put(b", ");
    line.put(reason);
    let Some(dst) = f.all(Field::Ipv6Dst).nth(1) else {
        return !line.snapped();
    };
    if code == 4 {
        let port = match f.all(Field::Ipv6Nxt).nth(1) {
            Some(Value::Uint(17)) => f.uint(Field::UdpDstport).map(|p| (&b"udp"[..], p)),
            Some(Value::Uint(6)) => f.uint(Field::TcpDstport).map(|p| (&b"tcp"[..], p)),
            _ => None,
        };
        match port {
            Some((name, port)) => {
                line.put(b", ");
                line.value(dst);
                line.byte(b' ');
                line.put(name);
                line.put(b" port ");
                line.dec(port);
            }
            None if line.snapped() => return false,
            None => {}
        }
    } else {
        line.byte(b' ');
        line.value(dst);
    }
    true
}

/// `igmp v3 report, 2 group record(s)`, `igmp query v2`, ...
fn write_igmp(line: &mut Line<'_>) {
    let f = line.fields();
    line.put(b"igmp");
    let version = f.uint(Field::IgmpVersion).unwrap_or(0);
    match f.uint(Field::IgmpType) {
        Some(0x11) => {
            line.put(b" query v");
            line.dec(version);
        }
        Some(0x12 | 0x16 | 0x22) => {
            line.put(b" v");
            line.dec(version);
            line.put(b" report");
            if let Some(n) = f.uint(Field::IgmpNumGrpRecs) {
                line.put(b", ");
                line.dec(n);
                line.put(b" group record(s)");
            }
        }
        Some(0x17) => line.put(b" leave"),
        Some(t) => {
            line.put(b" type ");
            line.hex(t, 2);
        }
        None => {}
    }
}

/// tcpdump's `10.77.0.2 udp port 40009 unreachable`, from the quoted datagram's fields
/// (their second `ip.*` occurrences and the quoted transport's ports).
fn write_port_unreachable(line: &mut Line<'_>) -> Option<()> {
    let f = line.fields();
    if (f.uint(Field::IcmpType), f.uint(Field::IcmpCode)) != (Some(3), Some(3)) {
        return None;
    }
    let dst = f.all(Field::IpDst).nth(1)?;
    let (name, port): (&[u8], _) = match f.all(Field::IpProto).nth(1) {
        Some(Value::Uint(17)) => (b"udp", f.uint(Field::UdpDstport)?),
        Some(Value::Uint(6)) => (b"tcp", f.uint(Field::TcpDstport)?),
        _ => return None,
    };
    line.value(dst);
    line.byte(b' ');
    line.put(name);
    line.put(b" port ");
    line.dec(port);
    line.put(b" unreachable");
    Some(())
}
