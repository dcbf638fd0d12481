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
    IpProto, Ipv4Addr, Ipv6Addr, ParseOptions, PseudoHeader,
};

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
        if let Some(Ok(q)) = icmp.quoted_packet() {
            let _ = UdpPacket::parse_with(q.payload(), Some(q.pseudo_header()), q.payload_parse_options(mode));
            let _ = TcpPacket::parse_with(q.payload(), Some(q.pseudo_header()), q.payload_parse_options(mode));
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
        if let Some(Ok(q)) = icmp.quoted_packet() {
            let _ = (q.upper_protocol(), q.payload().len());
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
    for mode in MODES {
        for pseudo in [None, Some(ph)] {
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
