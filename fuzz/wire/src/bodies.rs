// Fuzz bodies: one per parser, taking raw bytes. They are `include!`d both by the cargo-fuzz
// crate (fuzz/wire) and by zerocast-wire's `tests/fuzz_corpus.rs`, which replays the committed
// corpus under plain `cargo test`. Each body parses strictly and leniently, touches every
// accessor and iterator, and checks the property that matters beyond "no panic": whatever
// parses strictly re-emits to the same header bytes.

use std::fmt::Write as _;

use zerocast_wire::{
    arp::ArpPacket,
    ethernet::{EtherType, EthernetFrame},
    icmpv4::Icmpv4Packet,
    icmpv6::Icmpv6Packet,
    igmp::IgmpPacket,
    ipv4::Ipv4Packet,
    ipv6::Ipv6Packet,
    tcp::TcpPacket,
    udp::UdpPacket,
    vlan::VlanTag,
    IpProto, Ipv4Addr, Ipv6Addr, Lenient, ParseOptions, PseudoHeader,
    ChecksumPolicy,
};
use zerocast_wire::{icmpv4::Icmpv4Partial, icmpv6::Icmpv6Partial, igmp::IgmpPartial};
use zerocast_wire::{ipv4::Ipv4Partial, ipv6::Ipv6Partial, tcp::TcpPartial, udp::UdpPartial};

/// Whether `out` (re-emitted) equals `original`, allowing one difference: the 16-bit
/// checksum at `at` may be 0x0000 where the original carried 0xffff. Both are the ones'
/// complement zero and verify alike (RFC 1624 section 3), but a computed checksum is never
/// 0xffff, so a header carrying it cannot be reproduced by computing.
fn same_modulo_negative_zero(out: &[u8], original: &[u8], at: usize) -> bool {
    if out == original {
        return true;
    }
    let mut patched = out.to_vec();
    if patched.get(at..at + 2) == Some(&[0, 0][..]) && original.get(at..at + 2) == Some(&[0xff, 0xff][..]) {
        patched[at..at + 2].copy_from_slice(&[0xff, 0xff]);
    }
    patched == original
}

const MODES: [ParseOptions; 3] = [ParseOptions::STRICT, ParseOptions::LENIENT, ParseOptions::OFFLOAD];

/// Splits fuzz input into two addresses (for pseudo-headers) and the packet.
fn pseudo_v4(data: &[u8]) -> (PseudoHeader, &[u8]) {
    let mut a = [0u8; 8];
    let n = data.len().min(8);
    a[..n].copy_from_slice(&data[..n]);
    let ph = PseudoHeader::V4 {
        src: Ipv4Addr([a[0], a[1], a[2], a[3]]),
        dst: Ipv4Addr([a[4], a[5], a[6], a[7]]),
    };
    (ph, &data[n..])
}

fn pseudo_v6(data: &[u8]) -> (PseudoHeader, &[u8]) {
    let mut a = [0u8; 32];
    let n = data.len().min(32);
    a[..n].copy_from_slice(&data[..n]);
    let mut src = [0u8; 16];
    let mut dst = [0u8; 16];
    src.copy_from_slice(&a[..16]);
    dst.copy_from_slice(&a[16..]);
    (PseudoHeader::V6 { src: Ipv6Addr(src), dst: Ipv6Addr(dst) }, &data[n..])
}

pub fn fuzz_ethernet(data: &[u8]) {
    if let Ok(f) = EthernetFrame::parse(data) {
        let mut out = [0u8; 14];
        f.repr().emit(&mut out).unwrap();
        assert_eq!(out[..], data[..14]);
        let mut ethertype = f.ethertype();
        let mut rest = f.into_payload();
        while ethertype.is_vlan_tag() {
            let Ok(tag) = VlanTag::parse(rest) else { break };
            let mut out = [0u8; 4];
            tag.repr().emit(&mut out).unwrap();
            ethertype = tag.ethertype();
            rest = tag.into_payload();
        }
        let _ = format!("{ethertype}");
    }
}

pub fn fuzz_arp(data: &[u8]) {
    if let Ok(a) = ArpPacket::parse(data) {
        let mut out = [0u8; 28];
        a.repr().emit(&mut out).unwrap();
        assert_eq!(out[..], data[..28]);
        let _ = a.to_string();
    }
}

pub fn fuzz_ipv4(data: &[u8]) {
    for mode in MODES {
        let Ok(ip) = Ipv4Packet::parse_with(data, mode) else { continue };
        let mut s = String::new();
        let _ = write!(s, "{ip} {ip:?}");
        for o in ip.options().flatten() {
            let _ = write!(s, "{:?}", o.decode());
        }
        let _ = (ip.payload(), ip.trailer(), ip.fragment_offset_bytes(), ip.checksum_status());
        if mode == ParseOptions::STRICT {
            let hl = ip.header_len();
            let mut out = vec![0u8; hl];
            ip.repr().emit(&mut out, ip.payload().len()).unwrap();
            assert!(same_modulo_negative_zero(&out, &data[..hl], 10), "IPv4 header re-emits");
        }
    }
}

pub fn fuzz_ipv6(data: &[u8]) {
    for mode in MODES {
        let Ok(ip) = Ipv6Packet::parse_with(data, mode) else { continue };
        let mut s = String::new();
        let _ = write!(s, "{ip} {ip:?} {:?}", ip.fragment());
        for ext in ip.extension_headers().flatten() {
            let _ = (ext.routing(), ext.fragment());
            for o in ext.options().flatten() {
                let _ = (o.action(), o.router_alert(), o.may_change());
            }
        }
        if mode == ParseOptions::STRICT {
            let hl = 40 + ip.extensions_bytes().len();
            let mut out = vec![0u8; hl];
            ip.repr().emit(&mut out, ip.payload().len()).unwrap();
            assert_eq!(out[..], data[..hl], "IPv6 header re-emits");
        }
    }
}

pub fn fuzz_icmpv4(data: &[u8]) {
    for mode in MODES {
        let Ok(icmp) = Icmpv4Packet::parse_with(data, mode) else { continue };
        let _ = format!("{icmp} {:?} {:?}", icmp.message(), icmp.ident_seq());
        match icmp.quoted_packet() {
            Some(Ok(Lenient::Whole(q))) => {
                let _ = UdpPacket::parse_with(q.payload(), Some(q.pseudo_header()), q.payload_parse_options(mode));
                let _ = TcpPacket::parse_with(q.payload(), Some(q.pseudo_header()), q.payload_parse_options(mode));
            }
            Some(Ok(Lenient::Cut(q))) => assert!(q.captured_len() < 20),
            _ => {}
        }
        if mode == ParseOptions::STRICT {
            let mut out = data.to_vec();
            out[..8].fill(0);
            icmp.repr().emit(&mut out).unwrap();
            assert!(same_modulo_negative_zero(&out, data, 2), "ICMPv4 re-emits");
        }
    }
}

pub fn fuzz_icmpv6(data: &[u8]) {
    let (ph, data) = pseudo_v6(data);
    for mode in MODES {
        let Ok(icmp) = Icmpv6Packet::parse_with(data, ph, mode) else { continue };
        let _ = format!("{icmp} {:?} {:?}", icmp.message(), icmp.nd_target());
        for o in icmp.ndp_options().flatten() {
            let _ = format!("{:?}", o.decode());
        }
        if let zerocast_wire::icmpv6::Icmpv6Message::MldV2Report(_, recs) = icmp.message() {
            for r in recs {
                let _ = r.map(|r| (r.sources.len(), r.aux.len()));
            }
        }
        match icmp.quoted_packet() {
            Some(Ok(Lenient::Whole(q))) => drop((q.upper_protocol(), q.payload().len())),
            Some(Ok(Lenient::Cut(q))) => assert!(q.captured_len() < 40),
            _ => {}
        }
        if mode == ParseOptions::STRICT {
            let mut out = data.to_vec();
            out[..4].fill(0);
            icmp.repr().emit(&mut out, ph).unwrap();
            assert!(same_modulo_negative_zero(&out, data, 2), "ICMPv6 re-emits");
        }
    }
}

pub fn fuzz_igmp(data: &[u8]) {
    for mode in MODES {
        let Ok(igmp) = IgmpPacket::parse_with(data, mode) else { continue };
        let _ = format!("{igmp} {:?} {:?} {}", igmp.group(), igmp.v3_query(), igmp.version());
        for r in igmp.v3_records() {
            let _ = r.map(|r| r.sources.len());
        }
        if mode == ParseOptions::STRICT {
            let mut out = data.to_vec();
            out[..8].fill(0);
            igmp.repr().emit(&mut out).unwrap();
            assert!(same_modulo_negative_zero(&out, data, 2), "IGMP re-emits");
        }
    }
}

pub fn fuzz_udp(data: &[u8]) {
    let (ph, data) = pseudo_v4(data);
    // Over IPv6, Length 0 is a jumbo datagram (RFC 2675): exercise that path too.
    let ph6 = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    for mode in MODES {
        for pseudo in [None, Some(ph), Some(ph6)] {
            let Ok(udp) = UdpPacket::parse_with(data, pseudo, mode) else { continue };
            let _ = format!("{udp} {:?}", udp.checksum_status());
            if mode == ParseOptions::STRICT && pseudo.is_some() && udp.checksum() != 0 {
                let len = usize::from(udp.length());
                let mut out = data[..len].to_vec();
                out[..8].fill(0);
                udp.repr().emit(&mut out, pseudo).unwrap();
                assert_eq!(out[..], data[..len], "UDP re-emits");
            }
        }
    }
}

pub fn fuzz_tcp(data: &[u8]) {
    let (ph, data) = pseudo_v4(data);
    for mode in MODES {
        let Ok(tcp) = TcpPacket::parse_with(data, Some(ph), mode) else { continue };
        let _ = format!("{tcp} {:?} {:?} {:?} {}", tcp.mss(), tcp.window_scale(), tcp.timestamps(), tcp.sack_permitted());
        for o in tcp.options().flatten() {
            let _ = format!("{:?}", o.decode());
        }
        if mode == ParseOptions::STRICT {
            let mut out = data.to_vec();
            out[..tcp.header_len()].fill(0);
            tcp.repr().emit(&mut out, Some(ph)).unwrap();
            assert!(same_modulo_negative_zero(&out, data, 16), "TCP re-emits");
        }
    }
}

/// A whole frame through every layer, strictly and leniently, like a dissector would.
pub fn fuzz_frame(data: &[u8]) {
    for mode in MODES {
        let Ok(eth) = EthernetFrame::parse(data) else { return };
        let mut ethertype = eth.ethertype();
        let mut rest = eth.into_payload();
        while ethertype.is_vlan_tag() {
            let Ok(tag) = VlanTag::parse(rest) else { return };
            ethertype = tag.ethertype();
            rest = tag.into_payload();
        }
        match ethertype {
            EtherType::ARP => {
                let _ = ArpPacket::parse(rest).map(|a| a.to_string());
            }
            EtherType::IPV4 => {
                let Ok(ip) = Ipv4Packet::parse_with(rest, mode) else { continue };
                let opts = ip.payload_parse_options(mode);
                let ph = Some(ip.pseudo_header());
                match ip.protocol() {
                    IpProto::UDP => drop(UdpPacket::parse_with(ip.payload(), ph, opts)),
                    IpProto::TCP => drop(TcpPacket::parse_with(ip.payload(), ph, opts)),
                    IpProto::IGMP => drop(IgmpPacket::parse_with(ip.payload(), opts)),
                    IpProto::ICMP => {
                        if let Ok(icmp) = Icmpv4Packet::parse_with(ip.payload(), opts) {
                            let _ = icmp.quoted_packet();
                        }
                    }
                    _ => {}
                }
            }
            EtherType::IPV6 => {
                let Ok(ip) = Ipv6Packet::parse_with(rest, mode) else { continue };
                let opts = ip.payload_parse_options(mode);
                let ph = ip.pseudo_header();
                match ip.upper_protocol() {
                    IpProto::UDP => drop(UdpPacket::parse_with(ip.payload(), Some(ph), opts)),
                    IpProto::TCP => drop(TcpPacket::parse_with(ip.payload(), Some(ph), opts)),
                    IpProto::ICMPV6 => {
                        if let Ok(icmp) = Icmpv6Packet::parse_with(ip.payload(), ph, opts) {
                            let _ = (icmp.quoted_packet(), icmp.message());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Lenient, checksums skipped: the whole-header view that partial views are compared with.
const WHOLE: ParseOptions = ParseOptions { checksum: ChecksumPolicy::Skip, allow_truncated: true };

/// One field as (what the partial view shows, what the whole view shows, the offset where
/// the field's bytes end). Values are widened so one table serves every protocol.
type FieldCheck = (Option<u128>, u128, usize);

/// Widens a field value for [`FieldCheck`].
fn u<T: Into<u128>>(v: T) -> u128 {
    v.into()
}

/// The property of a partial view: cut after `n` bytes, it shows a field exactly when all
/// of the field's bytes are among the `n`, and then with the whole view's value.
fn check_fields(n: usize, fields: &[FieldCheck]) {
    for (i, &(part, whole, end)) in fields.iter().enumerate() {
        match part {
            Some(v) => {
                assert!(end <= n, "field {i} shown with {n} bytes, needs {end}");
                assert_eq!(v, whole, "field {i} differs with {n} bytes");
            }
            None => assert!(end > n, "field {i} hidden with {n} bytes, needs only {end}"),
        }
    }
}

fn partial_ipv4(data: &[u8], n: usize) {
    let Ok(w) = Ipv4Packet::parse_with(data, WHOLE) else { return };
    let p = Ipv4Partial::parse(&data[..n]).expect("a cut of a valid header parses");
    assert_eq!(p.captured_len(), n.min(20));
    check_fields(n, &[
        (p.version().map(u), u(w.version()), 1),
        (p.header_len().map(|l| l as u128), w.header_len() as u128, 1),
        (p.dsfield().map(u), u(w.dsfield()), 2),
        (p.total_len().map(u), u(w.total_len()), 4),
        (p.ident().map(u), u(w.ident()), 6),
        (p.flags().map(u), u(w.flags()), 7),
        (p.fragment_offset().map(u), u(w.fragment_offset()), 8),
        (p.ttl().map(u), u(w.ttl()), 9),
        (p.protocol().map(|x| u(x.0)), u(w.protocol().0), 10),
        (p.checksum().map(u), u(w.checksum()), 12),
        (p.src().map(|a| u(u32::from_be_bytes(a.0))), u(u32::from_be_bytes(w.src().0)), 16),
        (p.dst().map(|a| u(u32::from_be_bytes(a.0))), u(u32::from_be_bytes(w.dst().0)), 20),
    ]);
}

fn partial_ipv6(data: &[u8], n: usize) {
    let Ok(w) = Ipv6Packet::parse_with(data, WHOLE) else { return };
    let p = Ipv6Partial::parse(&data[..n]).expect("a cut of a valid header parses");
    check_fields(n, &[
        (p.version().map(u), u(w.version()), 1),
        (p.traffic_class().map(u), u(w.traffic_class()), 2),
        (p.flow_label().map(u), u(w.flow_label()), 4),
        (p.payload_len().map(u), u(w.payload_len()), 6),
        (p.next_header().map(|x| u(x.0)), u(w.next_header().0), 7),
        (p.hop_limit().map(u), u(w.hop_limit()), 8),
        (p.src().map(|a| u128::from_be_bytes(a.0)), u128::from_be_bytes(w.src().0), 24),
        (p.dst().map(|a| u128::from_be_bytes(a.0)), u128::from_be_bytes(w.dst().0), 40),
    ]);
}

fn partial_udp(data: &[u8], n: usize) {
    let Ok(w) = UdpPacket::parse_with(data, None, WHOLE) else { return };
    let p = UdpPartial::parse(&data[..n]).expect("a cut of a valid header parses");
    check_fields(n, &[
        (p.src_port().map(u), u(w.src_port()), 2),
        (p.dst_port().map(u), u(w.dst_port()), 4),
        (p.length().map(u), u(w.length()), 6),
        (p.checksum().map(u), u(w.checksum()), 8),
    ]);
}

fn partial_tcp(data: &[u8], n: usize) {
    let Ok(w) = TcpPacket::parse_with(data, None, WHOLE) else { return };
    let p = TcpPartial::parse(&data[..n]).expect("a cut of a valid header parses");
    check_fields(n, &[
        (p.src_port().map(u), u(w.src_port()), 2),
        (p.dst_port().map(u), u(w.dst_port()), 4),
        (p.seq().map(u), u(w.seq()), 8),
        (p.ack().map(u), u(w.ack()), 12),
        (p.header_len().map(|l| l as u128), w.header_len() as u128, 13),
        (p.flags().map(u), u(w.flags()), 14),
        (p.window().map(u), u(w.window()), 16),
        (p.checksum().map(u), u(w.checksum()), 18),
        (p.urgent_pointer().map(u), u(w.urgent_pointer()), 20),
    ]);
}

fn partial_icmpv4(data: &[u8], n: usize) {
    let Ok(w) = Icmpv4Packet::parse_with(data, WHOLE) else { return };
    let p = Icmpv4Partial::parse(&data[..n]).expect("a cut of a valid header parses");
    let mut fields = vec![
        (p.msg_type().map(u), u(w.msg_type()), 1),
        (p.code().map(u), u(w.code()), 2),
        (p.checksum().map(u), u(w.checksum()), 4),
        (p.rest_of_header().map(|r| u(u32::from_be_bytes(r))), u(u32::from_be_bytes(w.rest_of_header())), 8),
    ];
    match w.ident_seq() {
        Some((ident, seq)) => {
            fields.push((p.ident().map(u), u(ident), 6));
            fields.push((p.seq().map(u), u(seq), 8));
        }
        None => assert_eq!((p.ident(), p.seq()), (None, None)),
    }
    check_fields(n, &fields);
}

fn partial_icmpv6(data: &[u8], n: usize) {
    let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    let Ok(w) = Icmpv6Packet::parse_with(data, ph, WHOLE) else { return };
    let p = Icmpv6Partial::parse(&data[..n]).expect("a cut of a valid header parses");
    check_fields(n, &[
        (p.msg_type().map(u), u(w.msg_type()), 1),
        (p.code().map(u), u(w.code()), 2),
        (p.checksum().map(u), u(w.checksum()), 4),
    ]);
}

fn partial_igmp(data: &[u8], n: usize) {
    let Ok(w) = IgmpPacket::parse_with(data, WHOLE) else { return };
    let p = IgmpPartial::parse(&data[..n]).expect("a cut of a valid header parses");
    let mut fields = vec![
        (p.msg_type().map(u), u(w.msg_type()), 1),
        (p.max_resp().map(u), u(w.max_resp()), 2),
        (p.checksum().map(u), u(w.checksum()), 4),
    ];
    if let Some(group) = w.group() {
        fields.push((p.group().map(|a| u(u32::from_be_bytes(a.0))), u(u32::from_be_bytes(group.0)), 8));
    }
    if let Some(version) = p.version() {
        assert_eq!(version, w.version(), "IGMP version");
    }
    check_fields(n, &fields);
}

/// Partial-header views: the first byte picks a protocol, the rest is its header. Every cut
/// of it parses leniently without panicking, a cut inside the fixed header gives the partial
/// view, and each field that view shows equals the whole header's.
pub fn fuzz_partial(data: &[u8]) {
    let Some((&which, data)) = data.split_first() else { return };
    let ph = PseudoHeader::V6 { src: Ipv6Addr::UNSPECIFIED, dst: Ipv6Addr::UNSPECIFIED };
    assert!(Ipv4Partial::parse(&data[..0]).is_err() && TcpPartial::parse(&data[..0]).is_err());
    for n in 1..=data.len().min(64) {
        let cut = &data[..n];
        let report = ChecksumPolicy::Report;
        match which % 7 {
            0 => {
                partial_ipv4(data, n);
                let r = Ipv4Packet::parse_lenient(cut, report);
                assert!(n >= 20 || !matches!(r, Ok(Lenient::Whole(_))));
            }
            1 => {
                partial_ipv6(data, n);
                let r = Ipv6Packet::parse_lenient(cut);
                assert!(n >= 40 || !matches!(r, Ok(Lenient::Whole(_))));
            }
            2 => {
                partial_udp(data, n);
                let _ = UdpPacket::parse_lenient(cut, None, report).map(|l| l.whole().map(|d| d.payload().len()));
            }
            3 => {
                partial_tcp(data, n);
                let _ = TcpPacket::parse_lenient(cut, None, report).map(|l| l.whole().map(|s| s.options().count()));
            }
            4 => {
                partial_icmpv4(data, n);
                if let Ok(Lenient::Whole(icmp)) = Icmpv4Packet::parse_lenient(cut, report) {
                    let _ = icmp.quoted_packet().map(|q| q.map(|q| q.cut().map(|h| (h.src(), h.dst()))));
                }
            }
            5 => {
                partial_icmpv6(data, n);
                if let Ok(Lenient::Whole(icmp)) = Icmpv6Packet::parse_lenient(cut, ph, report) {
                    let _ = icmp.quoted_packet().map(|q| q.map(|q| q.cut().map(|h| (h.src(), h.dst()))));
                }
            }
            _ => {
                partial_igmp(data, n);
                let _ = IgmpPacket::parse_lenient(cut, report);
            }
        }
    }
}
