// The structure-aware fuzz body: arbitrary field values -> the crate's builders -> strict
// parse -> the same values. `include!`d both by the cargo-fuzz crate (fuzz/wire, target
// `build_parse`) and by zerocast-wire's `tests/fuzz_corpus.rs`, which decodes the committed
// corpus with `arbitrary` as libFuzzer does and replays it under plain `cargo test`.

use arbitrary::Arbitrary;
use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::{
    ethernet::{EtherType, EthernetFrame, EthernetRepr},
    icmpv4::{Icmpv4Packet, Icmpv4Repr},
    ipv4::{Ipv4Packet, Ipv4Repr},
    ipv6::{Ipv6Packet, Ipv6Repr},
    tcp::{TcpPacket, TcpRepr},
    udp::{UdpBuilder, UdpPacket, UdpRepr},
    vlan::{VlanRepr, VlanTag},
    IpProto, Ipv4Addr, Ipv6Addr, MacAddr, PseudoHeader,
};

/// Field values for one frame.
#[derive(Debug, Arbitrary)]
pub struct FrameSpec {
    dst: [u8; 6],
    src: [u8; 6],
    tags: Vec<(u8, u16)>,
    ip: IpSpec,
    l4: L4Spec,
    payload: Vec<u8>,
}

/// Network layer.
#[derive(Debug, Arbitrary)]
pub enum IpSpec {
    V4 { src: [u8; 4], dst: [u8; 4], ttl: u8, dsfield: u8, ident: u16, df: bool, options: Vec<[u8; 4]> },
    V6 { src: [u8; 16], dst: [u8; 16], hlim: u8, tclass: u8, flow: u32 },
}

/// Transport layer.
#[derive(Debug, Arbitrary)]
pub enum L4Spec {
    Udp { src: u16, dst: u16 },
    Tcp { src: u16, dst: u16, seq: u32, ack: u32, flags: u16, window: u16, mss: Option<u16>, ts: Option<(u32, u32)> },
    Echo { ident: u16, seq: u16 },
}

/// Builds the frame, parses it strictly, and compares every field.
pub fn build_parse(spec: FrameSpec) {
    let tags: Vec<_> = spec.tags.iter().take(2).collect();
    let (l3_type, pseudo) = match &spec.ip {
        IpSpec::V4 { src, dst, .. } => {
            (EtherType::IPV4, PseudoHeader::V4 { src: Ipv4Addr(*src), dst: Ipv4Addr(*dst) })
        }
        IpSpec::V6 { src, dst, .. } => {
            (EtherType::IPV6, PseudoHeader::V6 { src: Ipv6Addr(*src), dst: Ipv6Addr(*dst) })
        }
    };
    let payload = &spec.payload[..spec.payload.len().min(1000)];
    // ICMP echo over IPv6 is ICMPv6, which this target does not build; use UDP there.
    let l4 = match (&spec.l4, &spec.ip) {
        (L4Spec::Echo { ident, .. }, IpSpec::V6 { .. }) => L4Spec::Udp { src: *ident, dst: 7 },
        (L4Spec::Echo { ident, seq }, _) => L4Spec::Echo { ident: *ident, seq: *seq },
        (L4Spec::Udp { src, dst }, _) => L4Spec::Udp { src: *src, dst: *dst },
        (L4Spec::Tcp { src, dst, seq, ack, flags, window, mss, ts }, _) => L4Spec::Tcp {
            src: *src, dst: *dst, seq: *seq, ack: *ack, flags: *flags & 0x0fff, window: *window,
            mss: *mss, ts: *ts,
        },
    };
    let mut tcp_opts = Vec::new();
    if let L4Spec::Tcp { mss, ts, .. } = &l4 {
        if let Some(m) = mss {
            tcp_opts.extend_from_slice(&[2, 4]);
            tcp_opts.extend_from_slice(&m.to_be_bytes());
        }
        if let Some((v, e)) = ts {
            tcp_opts.extend_from_slice(&[1, 1, 8, 10]);
            tcp_opts.extend_from_slice(&v.to_be_bytes());
            tcp_opts.extend_from_slice(&e.to_be_bytes());
        }
    }
    let proto = match (&l4, &spec.ip) {
        (L4Spec::Udp { .. }, _) => IpProto::UDP,
        (L4Spec::Tcp { .. }, _) => IpProto::TCP,
        (L4Spec::Echo { .. }, _) => IpProto::ICMP,
    };
    // Innermost first: the transport header around the payload.
    let body = payload.into_serializer();
    let l4_bytes = match &l4 {
        L4Spec::Udp { src, dst } => body
            .wrap_in(UdpBuilder { repr: UdpRepr { src_port: *src, dst_port: *dst }, pseudo: Some(pseudo) })
            .serialize_vec_outer()
            .map(|b| b.as_ref().to_vec()).map_err(|_| ()),
        L4Spec::Tcp { src, dst, seq, ack, flags, window, .. } => {
            let repr = TcpRepr { seq: *seq, ack: *ack, flags: *flags, window: *window, options: &tcp_opts, ..TcpRepr::new(*src, *dst) };
            body.wrap_in(repr.builder(Some(pseudo)).unwrap()).serialize_vec_outer().map(|b| b.as_ref().to_vec()).map_err(|_| ())
        }
        L4Spec::Echo { ident, seq } => body
            .wrap_in(Icmpv4Repr::echo_request(*ident, *seq))
            .serialize_vec_outer()
            .map(|b| b.as_ref().to_vec()).map_err(|_| ()),
    }
    .map_err(|_| ())
    .unwrap();
    let opt_bytes: Vec<u8> = match &spec.ip {
        IpSpec::V4 { options, .. } => {
            // NOPs only: arbitrary option bytes need not be well formed.
            vec![1u8; options.len().min(10) * 4]
        }
        IpSpec::V6 { .. } => Vec::new(),
    };
    let l3 = match &spec.ip {
        IpSpec::V4 { src, dst, ttl, dsfield, ident, df, .. } => {
            let repr = Ipv4Repr {
                dsfield: *dsfield, ident: *ident, flags: if *df { 2 } else { 0 }, options: &opt_bytes,
                ..Ipv4Repr::new(Ipv4Addr(*src), Ipv4Addr(*dst), proto, *ttl)
            };
            l4_bytes.as_slice().into_serializer().wrap_in(repr.builder().unwrap()).serialize_vec_outer().map(|b| b.as_ref().to_vec()).map_err(|_| ())
        }
        IpSpec::V6 { src, dst, hlim, tclass, flow } => {
            let repr = Ipv6Repr { traffic_class: *tclass, flow_label: flow & 0xfffff, ..Ipv6Repr::new(Ipv6Addr(*src), Ipv6Addr(*dst), proto, *hlim) };
            l4_bytes.as_slice().into_serializer().wrap_in(repr.builder().unwrap()).serialize_vec_outer().map(|b| b.as_ref().to_vec()).map_err(|_| ())
        }
    }
    .map_err(|_| ())
    .unwrap();
    let mut l2_body: Vec<u8> = l3;
    let mut inner_type = l3_type;
    for (i, (pcp, vid)) in tags.iter().enumerate().rev() {
        let tag = VlanRepr { pcp: pcp & 7, dei: false, vid: vid & 0xfff, ethertype: inner_type };
        l2_body = l2_body.as_slice().into_serializer().wrap_in(tag).serialize_vec_outer().map_err(|_| ()).unwrap().as_ref().to_vec();
        inner_type = if i == 0 && tags.len() == 2 { EtherType::QINQ } else { EtherType::VLAN };
    }
    let eth = EthernetRepr { dst: MacAddr(spec.dst), src: MacAddr(spec.src), ethertype: inner_type };
    let frame = l2_body.as_slice().into_serializer().wrap_in(eth).serialize_vec_outer().map_err(|_| ()).unwrap();
    let frame: &[u8] = frame.as_ref();
    assert!(frame.len() >= 60);

    // Parse back strictly and compare.
    let parsed = EthernetFrame::parse(frame).unwrap();
    assert_eq!(parsed.repr(), eth);
    let mut rest = parsed.into_payload();
    let mut et = eth.ethertype;
    for (pcp, vid) in &tags {
        let tag = VlanTag::parse(rest).unwrap();
        assert_eq!((tag.pcp(), tag.vid()), (pcp & 7, vid & 0xfff));
        et = tag.ethertype();
        rest = tag.into_payload();
    }
    assert_eq!(et, l3_type);
    let l4_parsed: &[u8] = match &spec.ip {
        IpSpec::V4 { ttl, ident, .. } => {
            let ip = Ipv4Packet::parse(rest).unwrap();
            assert_eq!((ip.ttl(), ip.ident(), ip.protocol()), (*ttl, *ident, proto));
            assert_eq!(ip.pseudo_header(), pseudo);
            let payload: &[u8] = ip.into_payload();
            payload
        }
        IpSpec::V6 { hlim, tclass, .. } => {
            let ip = Ipv6Packet::parse(rest).unwrap();
            assert_eq!((ip.hop_limit(), ip.traffic_class(), ip.upper_protocol()), (*hlim, *tclass, proto));
            let payload: &[u8] = ip.into_payload();
            payload
        }
    };
    match &l4 {
        L4Spec::Udp { src, dst } => {
            let udp = UdpPacket::parse(l4_parsed, Some(pseudo)).unwrap();
            assert_eq!((udp.src_port(), udp.dst_port(), udp.payload()), (*src, *dst, payload));
        }
        L4Spec::Tcp { seq, ack, flags, mss, ts, .. } => {
            let tcp = TcpPacket::parse(l4_parsed, Some(pseudo)).unwrap();
            assert_eq!((tcp.seq(), tcp.ack(), tcp.flags()), (*seq, *ack, *flags));
            assert_eq!((tcp.mss(), tcp.timestamps(), tcp.payload()), (*mss, *ts, payload));
        }
        L4Spec::Echo { ident, seq } => {
            let icmp = Icmpv4Packet::parse(l4_parsed).unwrap();
            assert_eq!((icmp.ident_seq(), icmp.body()), (Some((*ident, *seq)), payload));
        }
    }
}
