//! Three-layer Ethernet/IPv4/UDP (64-byte payload): in-place serialization and
//! checksum-verifying parse, zerocast-packet vs packet-formats (netstack3) vs smoltcp, in
//! one run.

use std::hint::black_box;
use std::num::NonZeroU16;

use criterion::{criterion_group, Criterion};

const SRC_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
const DST_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 2];
const SRC_IP: [u8; 4] = [192, 168, 0, 1];
const DST_IP: [u8; 4] = [192, 168, 0, 2];
const HEADERS: usize = 14 + 20 + 8;
const PAYLOAD: [u8; 64] = [0x5A; 64];

/// Header field values. Serializers read them through `black_box(&PARAMS)`, so no contender
/// can constant-fold its headers, and fields are loaded at their own width (black-boxing
/// whole builder structs instead makes the timing depend on store-to-load forwarding
/// stalls that vary with each crate's struct layout).
struct Params {
    src_mac: [u8; 6],
    dst_mac: [u8; 6],
    src_ip: [u8; 4],
    dst_ip: [u8; 4],
    src_port: u16,
    dst_port: u16,
}

static PARAMS: Params = Params {
    src_mac: SRC_MAC,
    dst_mac: DST_MAC,
    src_ip: SRC_IP,
    dst_ip: DST_IP,
    src_port: 1234,
    dst_port: 5678,
};

fn params() -> &'static Params {
    black_box(&PARAMS)
}

fn storage() -> Vec<u8> {
    let mut v = vec![0u8; HEADERS + PAYLOAD.len()];
    v[HEADERS..].copy_from_slice(&PAYLOAD);
    v
}

mod zc {
    use super::*;
    use zerocast_packet::{Buf, ParseBuffer, Serializer};
    use zerocast_packet_bench::*;

    pub fn serialize(storage: &mut [u8]) -> usize {
        let p = params();
        let udp = UdpBuilder {
            src_ip: p.src_ip,
            dst_ip: p.dst_ip,
            src_port: p.src_port,
            dst_port: p.dst_port,
        };
        let ip = Ipv4Builder {
            src: p.src_ip,
            dst: p.dst_ip,
            ttl: 64,
            proto: 17,
        };
        let eth = EthBuilder {
            src: p.src_mac,
            dst: p.dst_mac,
            ethertype: 0x0800,
        };
        let out = Buf::new(storage, HEADERS..)
            .wrap_in(udp)
            .wrap_in(ip)
            .wrap_in(eth)
            .serialize_no_alloc_outer()
            .unwrap();
        out.body_range().start
    }

    pub fn parse(frame: &[u8]) -> (u16, usize) {
        let mut buf = Buf::new(frame, ..);
        let eth = buf.parse::<EthFrame<_>>().unwrap();
        let ethertype = eth.header.ethertype.get();
        let ip = buf.parse::<Ipv4Packet<_>>().unwrap();
        let (src, dst) = (ip.header.src, ip.header.dst);
        let udp = buf.parse_with::<_, UdpPacket<_>>((src, dst)).unwrap();
        (ethertype ^ udp.header.dst_port.get(), udp.body.len())
    }
}

/// The same through zerocast-wire's real protocol builders and parsers (its own parse
/// functions, zerocast-packet's serializer).
mod wire {
    use super::*;
    use zerocast_packet::{Buf, Serializer};
    use zerocast_wire::ethernet::{EtherType, EthernetFrame, EthernetRepr};
    use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
    use zerocast_wire::udp::{UdpBuilder, UdpPacket, UdpRepr};
    use zerocast_wire::{IpProto, Ipv4Addr, MacAddr, PseudoHeader};

    pub fn serialize(storage: &mut [u8]) -> usize {
        let p = params();
        let (src, dst) = (Ipv4Addr(p.src_ip), Ipv4Addr(p.dst_ip));
        let udp = UdpBuilder {
            repr: UdpRepr {
                src_port: p.src_port,
                dst_port: p.dst_port,
            },
            pseudo: Some(PseudoHeader::V4 { src, dst }),
        };
        let ip = Ipv4Repr::new(src, dst, IpProto::UDP, 64).builder().unwrap();
        let eth = EthernetRepr {
            dst: MacAddr(p.dst_mac),
            src: MacAddr(p.src_mac),
            ethertype: EtherType::IPV4,
        };
        let out = Buf::new(storage, HEADERS..)
            .wrap_in(udp)
            .wrap_in(ip)
            .wrap_in(eth)
            .serialize_no_alloc_outer()
            .unwrap();
        out.body_range().start
    }

    pub fn parse(frame: &[u8]) -> (u16, usize) {
        let eth = EthernetFrame::parse(frame).unwrap();
        let ethertype = eth.ethertype().0;
        let ip = Ipv4Packet::parse(eth.into_payload()).unwrap();
        let pseudo = PseudoHeader::V4 {
            src: ip.src(),
            dst: ip.dst(),
        };
        let udp = UdpPacket::parse(ip.payload(), Some(pseudo)).unwrap();
        (ethertype ^ udp.dst_port(), udp.payload().len())
    }
}

mod pf {
    use super::*;
    use net_types::ethernet::Mac;
    use net_types::ip::{Ipv4, Ipv4Addr};
    use packet::{Buf, NestableSerializer, NoOpSerializationContext, ParseBuffer, Serializer};
    use packet_formats::ethernet::{
        EtherType, EthernetFrame, EthernetFrameBuilder, EthernetFrameLengthCheck,
        ETHERNET_MIN_BODY_LEN_NO_TAG,
    };
    use packet_formats::ip::{IpPacket, IpProto, Ipv4Proto};
    use packet_formats::ipv4::{Ipv4Packet, Ipv4PacketBuilder};
    use packet_formats::udp::{UdpPacket, UdpPacketBuilder, UdpParseArgs};

    pub fn serialize(storage: &mut [u8]) -> usize {
        let p = params();
        let (src, dst) = (Ipv4Addr::new(p.src_ip), Ipv4Addr::new(p.dst_ip));
        let udp = UdpPacketBuilder::new(
            src,
            dst,
            NonZeroU16::new(p.src_port),
            NonZeroU16::new(p.dst_port).unwrap(),
        );
        let ip = Ipv4PacketBuilder::new(src, dst, 64, Ipv4Proto::Proto(IpProto::Udp));
        let eth = EthernetFrameBuilder::new(
            Mac::new(p.src_mac),
            Mac::new(p.dst_mac),
            EtherType::Ipv4,
            ETHERNET_MIN_BODY_LEN_NO_TAG,
        );
        let out = Buf::new(storage, HEADERS..)
            .wrap_in(udp)
            .wrap_in(ip)
            .wrap_in(eth)
            .serialize_no_alloc_outer(&mut NoOpSerializationContext)
            .unwrap();
        packet::GrowBuffer::prefix_len(&out)
    }

    pub fn parse(frame: &[u8]) -> (u16, usize) {
        let mut buf = Buf::new(frame, ..);
        let eth = buf
            .parse_with::<_, EthernetFrame<_>>(EthernetFrameLengthCheck::Check)
            .unwrap();
        let ethertype: u16 = eth.ethertype().map(u16::from).unwrap_or(0);
        let ip = buf.parse::<Ipv4Packet<_>>().unwrap();
        let (src, dst) = (ip.src_ip(), ip.dst_ip());
        let udp = buf
            .parse_with::<_, UdpPacket<_>>(UdpParseArgs::<Ipv4Addr, _>::new(src, dst))
            .unwrap();
        let _ = core::marker::PhantomData::<Ipv4>;
        (ethertype ^ udp.dst_port().get(), udp.body().len())
    }
}

mod st {
    use super::*;
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{
        EthernetAddress, EthernetFrame, EthernetProtocol, EthernetRepr, IpAddress, IpProtocol,
        Ipv4Address, Ipv4Packet, Ipv4Repr, UdpPacket, UdpRepr,
    };

    pub fn serialize(storage: &mut [u8]) -> usize {
        let p = params();
        let caps = ChecksumCapabilities::default();
        let (src, dst) = (Ipv4Address::from(p.src_ip), Ipv4Address::from(p.dst_ip));
        let eth = EthernetRepr {
            src_addr: EthernetAddress(p.src_mac),
            dst_addr: EthernetAddress(p.dst_mac),
            ethertype: EthernetProtocol::Ipv4,
        };
        let ip = Ipv4Repr {
            src_addr: src,
            dst_addr: dst,
            next_header: IpProtocol::Udp,
            payload_len: 8 + PAYLOAD.len(),
            hop_limit: 64,
        };
        let udp = UdpRepr {
            src_port: p.src_port,
            dst_port: p.dst_port,
        };
        let mut frame = EthernetFrame::new_unchecked(&mut *storage);
        eth.emit(&mut frame);
        let mut ip_packet = Ipv4Packet::new_unchecked(frame.payload_mut());
        ip.emit(&mut ip_packet, &caps);
        let mut udp_packet = UdpPacket::new_unchecked(ip_packet.payload_mut());
        // The payload is already in place (in-place serialization): emit nothing into it.
        udp.emit(
            &mut udp_packet,
            &IpAddress::Ipv4(src),
            &IpAddress::Ipv4(dst),
            PAYLOAD.len(),
            |_| {},
            &caps,
        );
        0
    }

    pub fn parse(frame: &[u8]) -> (u16, usize) {
        let caps = ChecksumCapabilities::default();
        let eth = EthernetFrame::new_checked(frame).unwrap();
        let eth_repr = EthernetRepr::parse(&eth).unwrap();
        let ip = Ipv4Packet::new_checked(eth.payload()).unwrap();
        let ip_repr = Ipv4Repr::parse(&ip, &caps).unwrap();
        let udp = UdpPacket::new_checked(ip.payload()).unwrap();
        let udp_repr = UdpRepr::parse(
            &udp,
            &IpAddress::Ipv4(ip_repr.src_addr),
            &IpAddress::Ipv4(ip_repr.dst_addr),
            &caps,
        )
        .unwrap();
        (
            u16::from(eth_repr.ethertype) ^ udp_repr.dst_port,
            udp.payload().len(),
        )
    }
}

fn check_same_frames() -> Vec<u8> {
    let (mut a, mut b, mut c, mut d) = (storage(), storage(), storage(), storage());
    wire::serialize(&mut d);
    zc::serialize(&mut a);
    pf::serialize(&mut b);
    st::serialize(&mut c);
    // The implementations set different IPv4 id/flags defaults; compare what the
    // benchmark relies on: same length, same Ethernet header, same UDP header and payload.
    assert_eq!(a.len(), b.len());
    assert_eq!(a[..14], b[..14]);
    assert_eq!(a[14 + 20..], c[14 + 20..]);
    assert_eq!(a[14 + 20..], d[14 + 20..]);
    for frame in [&a, &b, &c, &d] {
        assert_eq!(zc::parse(frame), wire::parse(frame));
        assert_eq!(zc::parse(frame), pf::parse(frame));
        assert_eq!(zc::parse(frame), st::parse(frame));
    }
    a
}

fn benches(c: &mut Criterion) {
    let frame = check_same_frames();

    let mut g = c.benchmark_group("serialize_eth_ipv4_udp_64B_in_place");
    let mut s = storage();
    g.bench_function("zerocast-packet", |b| {
        b.iter(|| zc::serialize(black_box(&mut s)))
    });
    g.bench_function("zerocast-wire", |b| {
        b.iter(|| wire::serialize(black_box(&mut s)))
    });
    g.bench_function("packet-formats", |b| {
        b.iter(|| pf::serialize(black_box(&mut s)))
    });
    g.bench_function("smoltcp", |b| b.iter(|| st::serialize(black_box(&mut s))));
    g.finish();

    let mut g = c.benchmark_group("parse_eth_ipv4_udp_64B_checksummed");
    g.bench_function("zerocast-packet", |b| {
        b.iter(|| zc::parse(black_box(&frame)))
    });
    g.bench_function("zerocast-wire", |b| {
        b.iter(|| wire::parse(black_box(&frame)))
    });
    g.bench_function("packet-formats", |b| {
        b.iter(|| pf::parse(black_box(&frame)))
    });
    g.bench_function("smoltcp", |b| b.iter(|| st::parse(black_box(&frame))));
    g.finish();
}

/// The contenders' functions by operation and name, for the instruction-count mode.
fn contender(op: &str, name: &str) -> Option<fn(&mut [u8]) -> usize> {
    Some(match (op, name) {
        ("serialize", "zerocast-packet") => zc::serialize,
        ("serialize", "zerocast-wire") => wire::serialize,
        ("serialize", "packet-formats") => pf::serialize,
        ("serialize", "smoltcp") => st::serialize,
        ("parse", "zerocast-packet") => |f: &mut [u8]| zc::parse(f).1,
        ("parse", "zerocast-wire") => |f: &mut [u8]| wire::parse(f).1,
        ("parse", "packet-formats") => |f: &mut [u8]| pf::parse(f).1,
        ("parse", "smoltcp") => |f: &mut [u8]| st::parse(f).1,
        _ => return None,
    })
}

/// `ZC_COUNT=<serialize|parse>:<contender>:<iterations>`: runs one contender's operation
/// that many times and exits, without criterion, so that `count.sh` can take the
/// difference of two callgrind runs as the instructions per packet.
fn count_mode(spec: &str) {
    let mut parts = spec.split(':');
    let (Some(op), Some(name), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
        panic!("ZC_COUNT must be <operation>:<contender>:<iterations>, not {spec:?}");
    };
    let n: u64 = n.parse().expect("ZC_COUNT iterations must be a number");
    let f = contender(op, name).unwrap_or_else(|| panic!("unknown contender {op}:{name}"));
    let mut frame = check_same_frames();
    let mut sum = 0usize;
    for _ in 0..n {
        sum = sum.wrapping_add(f(black_box(&mut frame)));
    }
    black_box(sum);
}

criterion_group!(group, benches);

fn main() {
    if let Ok(spec) = std::env::var("ZC_COUNT") {
        count_mode(&spec);
        return;
    }
    group();
    Criterion::default().configure_from_args().final_summary();
}
