//! Property tests: random header stacks (Ethernet, up to two VLAN tags, IPv4 with options or
//! IPv6, UDP or TCP with options or ICMP echo) built with the crate's builders parse back
//! strictly to the same values; every cut inside the IP packet is an error at some layer,
//! never a panic; cuts in the Ethernet padding change nothing.

use proptest::prelude::*;
use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::ethernet::{EtherType, EthernetFrame, EthernetRepr};
use zerocast_wire::icmpv4::{Icmpv4Packet, Icmpv4Repr};
use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
use zerocast_wire::ipv6::{Ipv6Packet, Ipv6Repr};
use zerocast_wire::tcp::{TcpPacket, TcpRepr};
use zerocast_wire::udp::{UdpBuilder, UdpPacket, UdpRepr};
use zerocast_wire::vlan::{VlanRepr, VlanTag};
use zerocast_wire::{IpProto, Ipv4Addr, Ipv6Addr, MacAddr, ParseError, PseudoHeader};

#[derive(Debug, Clone)]
enum Net {
    V4 {
        src: [u8; 4],
        dst: [u8; 4],
        ttl: u8,
        ident: u16,
        dsfield: u8,
        nops: usize,
    },
    V6 {
        src: [u8; 16],
        dst: [u8; 16],
        hlim: u8,
        tclass: u8,
        flow: u32,
    },
}

#[derive(Debug, Clone)]
enum Transport {
    Udp {
        src: u16,
        dst: u16,
    },
    Tcp {
        src: u16,
        dst: u16,
        seq: u32,
        ack: u32,
        flags: u16,
        window: u16,
        mss: Option<u16>,
    },
    Echo {
        ident: u16,
        seq: u16,
    },
}

#[derive(Debug, Clone)]
struct Stack {
    eth: ([u8; 6], [u8; 6]),
    tags: Vec<(u8, u16)>,
    net: Net,
    transport: Transport,
    payload: Vec<u8>,
}

fn net() -> impl Strategy<Value = Net> {
    prop_oneof![
        (
            any::<[u8; 4]>(),
            any::<[u8; 4]>(),
            any::<u8>(),
            any::<u16>(),
            any::<u8>(),
            0usize..=10
        )
            .prop_map(|(src, dst, ttl, ident, dsfield, nops)| Net::V4 {
                src,
                dst,
                ttl,
                ident,
                dsfield,
                nops
            }),
        (
            any::<[u8; 16]>(),
            any::<[u8; 16]>(),
            any::<u8>(),
            any::<u8>(),
            0u32..0x10_0000
        )
            .prop_map(|(src, dst, hlim, tclass, flow)| Net::V6 {
                src,
                dst,
                hlim,
                tclass,
                flow
            }),
    ]
}

fn transport() -> impl Strategy<Value = Transport> {
    prop_oneof![
        (any::<u16>(), any::<u16>()).prop_map(|(src, dst)| Transport::Udp { src, dst }),
        (
            any::<u16>(),
            any::<u16>(),
            any::<u32>(),
            any::<u32>(),
            0u16..0x1000,
            any::<u16>(),
            any::<Option<u16>>()
        )
            .prop_map(|(src, dst, seq, ack, flags, window, mss)| Transport::Tcp {
                src,
                dst,
                seq,
                ack,
                flags,
                window,
                mss
            }),
        (any::<u16>(), any::<u16>()).prop_map(|(ident, seq)| Transport::Echo { ident, seq }),
    ]
}

fn stack() -> impl Strategy<Value = Stack> {
    (
        any::<([u8; 6], [u8; 6])>(),
        proptest::collection::vec((0u8..8, 0u16..4096), 0..=2),
        net(),
        transport(),
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(eth, tags, net, transport, payload)| {
            // ICMPv4 echo only rides on IPv4.
            let transport = match (&net, transport) {
                (Net::V6 { .. }, Transport::Echo { ident, seq }) => Transport::Udp {
                    src: ident,
                    dst: seq,
                },
                (_, t) => t,
            };
            Stack {
                eth,
                tags,
                net,
                transport,
                payload,
            }
        })
}

fn pseudo(net: &Net) -> PseudoHeader {
    match net {
        Net::V4 { src, dst, .. } => PseudoHeader::V4 {
            src: Ipv4Addr(*src),
            dst: Ipv4Addr(*dst),
        },
        Net::V6 { src, dst, .. } => PseudoHeader::V6 {
            src: Ipv6Addr(*src),
            dst: Ipv6Addr(*dst),
        },
    }
}

fn wrap<B: zerocast_packet::PacketBuilder>(body: &[u8], b: B) -> Vec<u8> {
    body.into_serializer()
        .wrap_in(b)
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap()
        .as_ref()
        .to_vec()
}

/// Builds the frame; returns it and the length of everything up to the end of the IP packet.
fn build(s: &Stack) -> (Vec<u8>, usize) {
    let ph = pseudo(&s.net);
    let mss_opt: Vec<u8> = match &s.transport {
        Transport::Tcp { mss: Some(m), .. } => [[2u8, 4], m.to_be_bytes()].concat(),
        _ => Vec::new(),
    };
    let (l4, proto) = match &s.transport {
        Transport::Udp { src, dst } => (
            wrap(
                &s.payload,
                UdpBuilder {
                    repr: UdpRepr {
                        src_port: *src,
                        dst_port: *dst,
                    },
                    pseudo: Some(ph),
                },
            ),
            IpProto::UDP,
        ),
        Transport::Tcp {
            src,
            dst,
            seq,
            ack,
            flags,
            window,
            ..
        } => {
            let repr = TcpRepr {
                seq: *seq,
                ack: *ack,
                flags: *flags,
                window: *window,
                options: &mss_opt,
                ..TcpRepr::new(*src, *dst)
            };
            (
                wrap(&s.payload, repr.builder(Some(ph)).unwrap()),
                IpProto::TCP,
            )
        }
        Transport::Echo { ident, seq } => (
            wrap(&s.payload, Icmpv4Repr::echo_request(*ident, *seq)),
            IpProto::ICMP,
        ),
    };
    let (l3, l3_type) = match &s.net {
        Net::V4 {
            src,
            dst,
            ttl,
            ident,
            dsfield,
            nops,
        } => {
            let options = vec![1u8; nops * 4];
            let repr = Ipv4Repr {
                ident: *ident,
                dsfield: *dsfield,
                options: &options,
                ..Ipv4Repr::new(Ipv4Addr(*src), Ipv4Addr(*dst), proto, *ttl)
            };
            (wrap(&l4, repr.builder().unwrap()), EtherType::IPV4)
        }
        Net::V6 {
            src,
            dst,
            hlim,
            tclass,
            flow,
        } => {
            let repr = Ipv6Repr {
                traffic_class: *tclass,
                flow_label: *flow,
                ..Ipv6Repr::new(Ipv6Addr(*src), Ipv6Addr(*dst), proto, *hlim)
            };
            (wrap(&l4, repr.builder().unwrap()), EtherType::IPV6)
        }
    };
    let ip_len = l3.len();
    let mut body = l3;
    let mut inner = l3_type;
    for (i, (pcp, vid)) in s.tags.iter().enumerate().rev() {
        body = wrap(
            &body,
            VlanRepr {
                pcp: *pcp,
                dei: false,
                vid: *vid,
                ethertype: inner,
            },
        );
        inner = if i == 0 && s.tags.len() == 2 {
            EtherType::QINQ
        } else {
            EtherType::VLAN
        };
    }
    let eth = EthernetRepr {
        dst: MacAddr(s.eth.0),
        src: MacAddr(s.eth.1),
        ethertype: inner,
    };
    let frame = wrap(&body, eth);
    (frame, 14 + 4 * s.tags.len() + ip_len)
}

/// Strictly parses a frame into comparable values, or the first error.
fn parse(frame: &[u8]) -> Result<Vec<u64>, ParseError> {
    let mut v = Vec::new();
    let eth = EthernetFrame::parse(frame)?;
    v.extend(
        eth.dst()
            .0
            .iter()
            .chain(&eth.src().0)
            .map(|&b| u64::from(b)),
    );
    let mut et = eth.ethertype();
    let mut rest = eth.into_payload();
    while et.is_vlan_tag() {
        let tag = VlanTag::parse(rest)?;
        v.extend([u64::from(tag.pcp()), u64::from(tag.vid())]);
        et = tag.ethertype();
        rest = tag.into_payload();
    }
    let (proto, ph, l4): (IpProto, PseudoHeader, &[u8]) = if et == EtherType::IPV4 {
        let ip = Ipv4Packet::parse(rest)?;
        v.extend([
            u64::from(ip.ttl()),
            u64::from(ip.ident()),
            u64::from(ip.dsfield()),
            ip.header_len() as u64,
        ]);
        (ip.protocol(), ip.pseudo_header(), ip.into_payload())
    } else {
        let ip = Ipv6Packet::parse(rest)?;
        v.extend([
            u64::from(ip.hop_limit()),
            u64::from(ip.traffic_class()),
            u64::from(ip.flow_label()),
        ]);
        (ip.upper_protocol(), ip.pseudo_header(), ip.into_payload())
    };
    match proto {
        IpProto::UDP => {
            let u = UdpPacket::parse(l4, Some(ph))?;
            v.extend([u64::from(u.src_port()), u64::from(u.dst_port())]);
            v.extend(u.payload().iter().map(|&b| u64::from(b)));
        }
        IpProto::TCP => {
            let t = TcpPacket::parse(l4, Some(ph))?;
            v.extend([
                u64::from(t.src_port()),
                u64::from(t.dst_port()),
                u64::from(t.seq()),
                u64::from(t.ack()),
            ]);
            v.extend([
                u64::from(t.flags()),
                u64::from(t.window()),
                t.mss().map_or(1 << 20, u64::from),
            ]);
            v.extend(t.payload().iter().map(|&b| u64::from(b)));
        }
        _ => {
            let i = Icmpv4Packet::parse(l4)?;
            let (ident, seq) = i.ident_seq().unwrap();
            v.extend([u64::from(ident), u64::from(seq)]);
            v.extend(i.body().iter().map(|&b| u64::from(b)));
        }
    }
    Ok(v)
}

fn expected(s: &Stack) -> Vec<u64> {
    let mut v: Vec<u64> = s
        .eth
        .0
        .iter()
        .chain(&s.eth.1)
        .map(|&b| u64::from(b))
        .collect();
    for (pcp, vid) in &s.tags {
        v.extend([u64::from(*pcp), u64::from(*vid)]);
    }
    match &s.net {
        Net::V4 {
            ttl,
            ident,
            dsfield,
            nops,
            ..
        } => {
            v.extend([
                u64::from(*ttl),
                u64::from(*ident),
                u64::from(*dsfield),
                20 + 4 * *nops as u64,
            ]);
        }
        Net::V6 {
            hlim, tclass, flow, ..
        } => v.extend([u64::from(*hlim), u64::from(*tclass), u64::from(*flow)]),
    }
    match &s.transport {
        Transport::Udp { src, dst } => v.extend([u64::from(*src), u64::from(*dst)]),
        Transport::Tcp {
            src,
            dst,
            seq,
            ack,
            flags,
            window,
            mss,
        } => {
            v.extend([
                u64::from(*src),
                u64::from(*dst),
                u64::from(*seq),
                u64::from(*ack),
            ]);
            v.extend([
                u64::from(*flags),
                u64::from(*window),
                mss.map_or(1 << 20, u64::from),
            ]);
        }
        Transport::Echo { ident, seq } => v.extend([u64::from(*ident), u64::from(*seq)]),
    }
    v.extend(s.payload.iter().map(|&b| u64::from(b)));
    v
}

proptest! {
    // Under Miri: few cases, and no failure file (Miri isolates the file system).
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: if cfg!(miri) { None } else { ProptestConfig::default().failure_persistence },
        ..ProptestConfig::default()
    })]

    #[test]
    fn built_stacks_parse_back_to_their_values(s in stack()) {
        let (frame, _) = build(&s);
        prop_assert!(frame.len() >= 60);
        prop_assert_eq!(parse(&frame).unwrap(), expected(&s));
    }

    #[test]
    fn every_cut_inside_the_ip_packet_is_an_error_and_padding_cuts_are_harmless(s in stack()) {
        let (frame, ip_end) = build(&s);
        for n in 0..frame.len() {
            let r = parse(&frame[..n]);
            if n < ip_end {
                prop_assert!(r.is_err(), "cut at {} of {} parsed", n, ip_end);
            } else {
                prop_assert_eq!(r.unwrap(), expected(&s));
            }
        }
    }
}
