//! The ICMP, ICMPv6 and IGMP parts of a text line, in `tcpdump -n`'s words.

use super::write_val;
use crate::fields::format::write_dec;
use crate::fields::{Field, FrameFields, Value};

/// Whether the snapshot length cut the frame (so the last layer lacks bytes).
fn snapped(f: &FrameFields) -> bool {
    matches!(
        (f.uint(Field::FrameCapLen), f.uint(Field::FrameLen)),
        (Some(cap), Some(len)) if cap < len
    )
}

pub(super) fn write_icmp(out: &mut Vec<u8>, f: &FrameFields, net_payload: u64) {
    let echo_like = matches!(
        f.uint(Field::IcmpType),
        Some(0 | 8 | 13 | 14 | 15 | 16) | None
    );
    if snapped(f) && echo_like && f.uint(Field::IcmpSeq).is_none() {
        // The capture ended inside the 8-byte header: tcpdump prints nothing of it.
        out.extend_from_slice(b" [|icmp]");
        return;
    }
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

pub(super) fn write_icmpv6(out: &mut Vec<u8>, f: &FrameFields, length: u64) {
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
    // tcpdump stops where it lacks the port of the packet an unreachable quotes.
    if t == 1 && !write_unreachable6(out, f) {
        out.extend_from_slice(b" [|icmp6]");
        return;
    }
    match t {
        128 | 129 => {
            if let (Some(id), Some(seq)) = (
                f.uint(Field::Icmpv6EchoIdentifier),
                f.uint(Field::Icmpv6EchoSequenceNumber),
            ) {
                out.extend_from_slice(b", id ");
                write_dec(out, id);
                out.extend_from_slice(b", seq ");
                write_dec(out, seq);
            }
        }
        143 => {
            if let Some(n) = f.uint(Field::Icmpv6MldrNbMcastRecords) {
                out.extend_from_slice(b", ");
                write_dec(out, n);
                out.extend_from_slice(b" group record(s)");
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
        out.extend_from_slice(b", ");
        out.extend_from_slice(label);
        write_val(out, addr);
    }
    out.extend_from_slice(b", length ");
    write_dec(out, length);
}

/// tcpdump's reason and destination for an ICMPv6 destination unreachable, from the quoted
/// packet's fields (the second `ipv6.*` occurrences and the quoted transport's port);
/// `false` when the capture ended before what tcpdump reads.
fn write_unreachable6(out: &mut Vec<u8>, f: &FrameFields) -> bool {
    let code = f.uint(Field::Icmpv6Code).unwrap_or(0);
    let reason: &[u8] = match code {
        0 => b"unreachable route",
        1 => b"unreachable prohibited",
        2 => b"beyond scope",
        3 => b"unreachable address",
        4 => b"unreachable port",
        _ => return true,
    };
    out.extend_from_slice(b", ");
    out.extend_from_slice(reason);
    let Some(dst) = f.all(Field::Ipv6Dst).nth(1) else {
        return !snapped(f);
    };
    if code == 4 {
        let port = match f.all(Field::Ipv6Nxt).nth(1) {
            Some(Value::Uint(17)) => f.uint(Field::UdpDstport).map(|p| (&b"udp"[..], p)),
            Some(Value::Uint(6)) => f.uint(Field::TcpDstport).map(|p| (&b"tcp"[..], p)),
            _ => None,
        };
        match port {
            Some((name, port)) => {
                out.extend_from_slice(b", ");
                write_val(out, dst);
                out.push(b' ');
                out.extend_from_slice(name);
                out.extend_from_slice(b" port ");
                write_dec(out, port);
            }
            None if snapped(f) => return false,
            None => {}
        }
    } else {
        out.push(b' ');
        write_val(out, dst);
    }
    true
}

/// `igmp v3 report, 2 group record(s)`, `igmp query v2`, ...
pub(super) fn write_igmp(out: &mut Vec<u8>, f: &FrameFields) {
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
            if let Some(n) = f.uint(Field::IgmpNumGrpRecs) {
                out.extend_from_slice(b", ");
                write_dec(out, n);
                out.extend_from_slice(b" group record(s)");
            }
        }
        Some(0x17) => out.extend_from_slice(b" leave"),
        Some(t) => {
            out.extend_from_slice(b" type ");
            crate::fields::format::write_hex(out, t, 2);
        }
        None => {}
    }
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
