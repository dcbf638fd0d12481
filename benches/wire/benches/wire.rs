//! Side-by-side benchmarks of zerocast-wire against packet-formats 0.1 (netstack3),
//! smoltcp 0.14 and etherparse 0.21, in one run:
//!
//! - `parse_udp_77`: checksum-verified parse of an Eth/IPv4/UDP frame of 77 bytes;
//! - `parse_tcp_ts_590`: checksum-verified parse of an Eth/IPv4/TCP frame with the timestamp
//!   option (590 bytes), reading TSval;
//! - `serialize_udp_64`: in-place serialization of Eth/IPv4/UDP around a 64-byte payload into
//!   a reused buffer (checksums computed).
//!
//! Every contender verifies the IPv4 header checksum and the UDP/TCP checksum and returns the
//! ports, so they all do the same work.

use std::hint::black_box;
use criterion::{criterion_group, Criterion};

const SRC_MAC: [u8; 6] = [2, 0, 0, 0, 0, 1];
const DST_MAC: [u8; 6] = [2, 0, 0, 0, 0, 2];
const SRC_IP: [u8; 4] = [10, 0, 0, 1];
const DST_IP: [u8; 4] = [10, 0, 0, 2];

/// Builds the two benchmark frames with zerocast-wire (checked against the others below).
fn frames() -> (Vec<u8>, Vec<u8>) {
    use zerocast_packet::{InnerPacketBuilder, Serializer};
    use zerocast_wire::{ethernet::*, ipv4::*, tcp::*, udp::*, IpProto, Ipv4Addr, MacAddr, PseudoHeader};
    let (s, d) = (Ipv4Addr(SRC_IP), Ipv4Addr(DST_IP));
    let ph = PseudoHeader::V4 { src: s, dst: d };
    let eth = EthernetRepr { dst: MacAddr(DST_MAC), src: MacAddr(SRC_MAC), ethertype: EtherType::IPV4 };
    let udp_payload = [0x5au8; 35]; // 14 + 20 + 8 + 35 = 77
    let udp = udp_payload
        .into_serializer()
        .wrap_in(UdpBuilder { repr: UdpRepr { src_port: 40000, dst_port: 53 }, pseudo: Some(ph) })
        .wrap_in(Ipv4Repr::new(s, d, IpProto::UDP, 64).builder().unwrap())
        .wrap_in(eth)
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap()
        .as_ref()
        .to_vec();
    let ts = [1, 1, 8, 10, 0, 0, 0x30, 0x39, 0, 0, 0x10, 0x92];
    let tcp_payload = vec![0xa5u8; 524]; // 14 + 20 + 32 + 524 = 590
    let tcp = TcpRepr { seq: 7, ack: 9, flags: FLAG_ACK | FLAG_PSH, window: 502, options: &ts, ..TcpRepr::new(80, 40000) };
    let tcp = tcp_payload
        .as_slice()
        .into_serializer()
        .wrap_in(tcp.builder(Some(ph)).unwrap())
        .wrap_in(Ipv4Repr::new(s, d, IpProto::TCP, 64).builder().unwrap())
        .wrap_in(eth)
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap()
        .as_ref()
        .to_vec();
    assert_eq!((udp.len(), tcp.len()), (77, 590));
    (udp, tcp)
}

mod zc {
    use zerocast_wire::{ethernet::EthernetFrame, ipv4::Ipv4Packet, tcp::TcpPacket, udp::UdpPacket};
    pub fn udp(frame: &[u8]) -> (u16, u16) {
        let eth = EthernetFrame::parse(frame).unwrap();
        let ip = Ipv4Packet::parse(eth.into_payload()).unwrap();
        let ph = ip.pseudo_header();
        let udp = UdpPacket::parse(ip.into_payload(), Some(ph)).unwrap();
        (udp.src_port(), udp.dst_port())
    }
    pub fn tcp(frame: &[u8]) -> (u16, u32) {
        let eth = EthernetFrame::parse(frame).unwrap();
        let ip = Ipv4Packet::parse(eth.into_payload()).unwrap();
        let ph = ip.pseudo_header();
        let tcp = TcpPacket::parse(ip.into_payload(), Some(ph)).unwrap();
        (tcp.src_port(), tcp.timestamps().unwrap().0)
    }
    pub fn serialize(buf: &mut [u8], payload: &[u8]) -> usize {
        serialize_flags(buf, payload, 0)
    }
    pub fn serialize_flags(buf: &mut [u8], payload: &[u8], flags: u8) -> usize {
        use zerocast_packet::{Buf, Serializer};
        use zerocast_wire::{ethernet::*, ipv4::*, udp::*, IpProto, Ipv4Addr, MacAddr, PseudoHeader};
        let (s, d) = (Ipv4Addr(super::SRC_IP), Ipv4Addr(super::DST_IP));
        let body_start = buf.len() - payload.len();
        buf[body_start..].copy_from_slice(payload);
        let ph = PseudoHeader::V4 { src: s, dst: d };
        let out = Buf::new(buf, body_start..)
            .wrap_in(UdpBuilder { repr: UdpRepr { src_port: 40000, dst_port: 53 }, pseudo: Some(ph) })
            .wrap_in(Ipv4Repr { flags, ..Ipv4Repr::new(s, d, IpProto::UDP, 64) }.builder().unwrap())
            .wrap_in(EthernetRepr { dst: MacAddr(super::DST_MAC), src: MacAddr(super::SRC_MAC), ethertype: EtherType::IPV4 })
            .serialize_no_alloc_outer()
            .map_err(|_| ())
            .unwrap();
        zerocast_packet::ParseBuffer::len(&out)
    }
    pub fn emit(buf: &mut [u8], payload: &[u8]) -> usize {
        use zerocast_wire::{ethernet::*, ipv4::*, udp::*, IpProto, Ipv4Addr, MacAddr, PseudoHeader};
        let (s, d) = (Ipv4Addr(super::SRC_IP), Ipv4Addr(super::DST_IP));
        let n = 42 + payload.len();
        buf[42..n].copy_from_slice(payload);
        let ph = PseudoHeader::V4 { src: s, dst: d };
        UdpRepr { src_port: 40000, dst_port: 53 }.emit(&mut buf[34..n], Some(ph)).unwrap();
        Ipv4Repr::new(s, d, IpProto::UDP, 64).emit(&mut buf[14..n], 8 + payload.len()).unwrap();
        EthernetRepr { dst: MacAddr(super::DST_MAC), src: MacAddr(super::SRC_MAC), ethertype: EtherType::IPV4 }.emit(buf).unwrap();
        n
    }
}

mod pf {
    use net_types::ip::Ipv4Addr;
    use packet::{Buf, NestableSerializer, NoOpSerializationContext, ParseBuffer, Serializer};
    use packet_formats::ip::IpPacket;
    use packet_formats::ethernet::{EtherType, EthernetFrame, EthernetFrameBuilder, EthernetFrameLengthCheck, ETHERNET_MIN_BODY_LEN_NO_TAG};
    use packet_formats::ip::{IpProto, Ipv4Proto};
    use packet_formats::ipv4::{Ipv4Packet, Ipv4PacketBuilder};
    use packet_formats::tcp::options::TcpOptions;
    use packet_formats::tcp::{TcpParseArgs, TcpSegment};
    use packet_formats::udp::{UdpPacket, UdpPacketBuilder, UdpParseArgs};
    pub fn udp(frame: &[u8]) -> (u16, u16) {
        let mut b = frame;
        let eth = b.parse_with::<_, EthernetFrame<_>>(EthernetFrameLengthCheck::NoCheck).unwrap();
        let mut body = eth.body();
        let ip = body.parse::<Ipv4Packet<_>>().unwrap();
        let mut body = ip.body();
        let udp = body.parse_with::<_, UdpPacket<_>>(UdpParseArgs::new(ip.src_ip(), ip.dst_ip())).unwrap();
        (udp.src_port().map_or(0, |p| p.get()), udp.dst_port().get())
    }
    pub fn tcp(frame: &[u8]) -> (u16, u32) {
        let mut b = frame;
        let eth = b.parse_with::<_, EthernetFrame<_>>(EthernetFrameLengthCheck::NoCheck).unwrap();
        let mut body = eth.body();
        let ip = body.parse::<Ipv4Packet<_>>().unwrap();
        let mut body = ip.body();
        let seg = body.parse_with::<_, TcpSegment<_>>(TcpParseArgs::new(ip.src_ip(), ip.dst_ip())).unwrap();
        (seg.src_port().get(), seg.options().timestamp().unwrap().ts_val().into())
    }
    pub fn serialize(buf: &mut [u8], payload: &[u8]) -> usize {
        let body_start = buf.len() - payload.len();
        buf[body_start..].copy_from_slice(payload);
        let (s, d) = (Ipv4Addr::new(super::SRC_IP), Ipv4Addr::new(super::DST_IP));
        let out = Buf::new(buf, body_start..)
            .wrap_in(UdpPacketBuilder::new(s, d, NonZeroU16::new(40000), NonZeroU16::new(53).unwrap()))
            .wrap_in(Ipv4PacketBuilder::new(s, d, 64, Ipv4Proto::Proto(IpProto::Udp)))
            .wrap_in(EthernetFrameBuilder::new(
                net_types::ethernet::Mac::new(super::SRC_MAC),
                net_types::ethernet::Mac::new(super::DST_MAC),
                EtherType::Ipv4,
                ETHERNET_MIN_BODY_LEN_NO_TAG,
            ))
            .serialize_no_alloc_outer(&mut NoOpSerializationContext)
            .map_err(|_| ())
            .unwrap();
        packet::FragmentedBuffer::len(&out)
    }
    use std::num::NonZeroU16;
}

mod st {
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::*;
    pub fn udp(frame: &[u8]) -> (u16, u16) {
        let caps = ChecksumCapabilities::default();
        let eth = EthernetFrame::new_checked(frame).unwrap();
        let ip = Ipv4Packet::new_checked(eth.payload()).unwrap();
        let repr = Ipv4Repr::parse(&ip, &caps).unwrap();
        let udp = UdpPacket::new_checked(ip.payload()).unwrap();
        let u = UdpRepr::parse(&udp, &repr.src_addr.into(), &repr.dst_addr.into(), &caps).unwrap();
        (u.src_port, u.dst_port)
    }
    pub fn tcp(frame: &[u8]) -> (u16, u32) {
        let caps = ChecksumCapabilities::default();
        let eth = EthernetFrame::new_checked(frame).unwrap();
        let ip = Ipv4Packet::new_checked(eth.payload()).unwrap();
        let repr = Ipv4Repr::parse(&ip, &caps).unwrap();
        let seg = TcpPacket::new_checked(ip.payload()).unwrap();
        let t = TcpRepr::parse(&seg, &repr.src_addr.into(), &repr.dst_addr.into(), &caps).unwrap();
        (t.src_port, t.timestamp.unwrap().tsval)
    }
    pub fn serialize(buf: &mut [u8], payload: &[u8]) -> usize {
        let caps = ChecksumCapabilities::default();
        let (s, d) = (Ipv4Address::from(super::SRC_IP), Ipv4Address::from(super::DST_IP));
        let n = 42 + payload.len();
        let mut eth = EthernetFrame::new_unchecked(&mut buf[..n]);
        EthernetRepr { src_addr: EthernetAddress(super::SRC_MAC), dst_addr: EthernetAddress(super::DST_MAC), ethertype: EthernetProtocol::Ipv4 }
            .emit(&mut eth);
        let ip_repr = Ipv4Repr { src_addr: s, dst_addr: d, next_header: IpProtocol::Udp, payload_len: 8 + payload.len(), hop_limit: 64 };
        let mut ip = Ipv4Packet::new_unchecked(eth.payload_mut());
        ip_repr.emit(&mut ip, &caps);
        let mut udp = UdpPacket::new_unchecked(ip.payload_mut());
        UdpRepr { src_port: 40000, dst_port: 53 }.emit(&mut udp, &s.into(), &d.into(), payload.len(), |p| p.copy_from_slice(payload), &caps);
        n
    }
}

mod ep {
    use etherparse::{NetSlice, PacketBuilder, SlicedPacket, TcpOptionElement, TransportSlice};
    pub fn udp(frame: &[u8]) -> (u16, u16) {
        let p = SlicedPacket::from_ethernet(frame).unwrap();
        let Some(NetSlice::Ipv4(ip)) = p.net else { panic!() };
        let h = ip.header();
        assert_eq!(h.to_header().calc_header_checksum(), h.header_checksum());
        let Some(TransportSlice::Udp(udp)) = p.transport else { panic!() };
        let sum = udp.to_header().calc_checksum_ipv4_raw(h.source(), h.destination(), udp.payload()).unwrap();
        assert_eq!(sum, udp.checksum());
        (udp.source_port(), udp.destination_port())
    }
    pub fn tcp(frame: &[u8]) -> (u16, u32) {
        let p = SlicedPacket::from_ethernet(frame).unwrap();
        let Some(NetSlice::Ipv4(ip)) = p.net else { panic!() };
        let h = ip.header();
        assert_eq!(h.to_header().calc_header_checksum(), h.header_checksum());
        let Some(TransportSlice::Tcp(tcp)) = p.transport else { panic!() };
        assert_eq!(tcp.calc_checksum_ipv4(h.source(), h.destination()).unwrap(), tcp.checksum());
        let ts = tcp.options_iterator().find_map(|o| match o {
            Ok(TcpOptionElement::Timestamp(v, _)) => Some(v),
            _ => None,
        });
        (tcp.source_port(), ts.unwrap())
    }
    pub fn serialize(buf: &mut [u8], payload: &[u8]) -> usize {
        let mut ip = etherparse::Ipv4Header::new(0, 64, etherparse::IpNumber::UDP, super::SRC_IP, super::DST_IP).unwrap();
        ip.dont_fragment = false;
        let b = PacketBuilder::ethernet2(super::SRC_MAC, super::DST_MAC)
            .ip(etherparse::IpHeaders::Ipv4(ip, Default::default()))
            .udp(40000, 53);
        let n = b.size(payload.len());
        let mut cursor = std::io::Cursor::new(&mut buf[..]);
        b.write(&mut cursor, payload).unwrap();
        n
    }
}

fn bench(c: &mut Criterion) {
    let (udp, tcp) = frames();
    // Every contender must agree on what it parsed.
    assert_eq!(zc::udp(&udp), pf::udp(&udp));
    assert_eq!(zc::udp(&udp), st::udp(&udp));
    assert_eq!(zc::udp(&udp), ep::udp(&udp));
    assert_eq!(zc::tcp(&tcp), pf::tcp(&tcp));
    assert_eq!(zc::tcp(&tcp), st::tcp(&tcp));
    assert_eq!(zc::tcp(&tcp), ep::tcp(&tcp));
    // And the serializers must produce the same bytes (no padding needed: 106 > 60).
    let payload = [0x33u8; 64];
    let mut a = vec![0u8; 106];
    let mut b = vec![0u8; 106];
    zc::serialize(&mut a, &payload);
    type Ser = fn(&mut [u8], &[u8]) -> usize;
    let others: [(&str, Ser); 4] = [
        ("packet-formats", pf::serialize),
        ("smoltcp", st::serialize),
        ("etherparse", ep::serialize),
        ("zerocast-emit", zc::emit),
    ];
    for (name, f) in others {
        b.fill(0);
        f(&mut b, &payload);
        if name == "smoltcp" {
            // smoltcp always sets DF; compare with zerocast building DF too.
            let mut df = vec![0u8; 106];
            zc::serialize_flags(&mut df, &payload, zerocast_wire::ipv4::FLAG_DF);
            assert_eq!(df, b, "{name} serializes differently");
        } else {
            assert_eq!(a, b, "{name} serializes differently");
        }
    }

    let mut g = c.benchmark_group("parse_udp_77");
    g.bench_function("zerocast", |x| x.iter(|| zc::udp(black_box(&udp))));
    g.bench_function("packet-formats", |x| x.iter(|| pf::udp(black_box(&udp))));
    g.bench_function("smoltcp", |x| x.iter(|| st::udp(black_box(&udp))));
    g.bench_function("etherparse", |x| x.iter(|| ep::udp(black_box(&udp))));
    g.finish();

    let mut g = c.benchmark_group("parse_tcp_ts_590");
    g.bench_function("zerocast", |x| x.iter(|| zc::tcp(black_box(&tcp))));
    g.bench_function("packet-formats", |x| x.iter(|| pf::tcp(black_box(&tcp))));
    g.bench_function("smoltcp", |x| x.iter(|| st::tcp(black_box(&tcp))));
    g.bench_function("etherparse", |x| x.iter(|| ep::tcp(black_box(&tcp))));
    g.finish();

    let mut g = c.benchmark_group("checksum_556");
    let data = vec![0x5au8; 556];
    g.bench_function("zerocast", |x| x.iter(|| zerocast_wire::checksum::checksum(black_box(&data))));
    g.bench_function("internet-checksum", |x| x.iter(|| internet_checksum::checksum(black_box(&data))));
    g.finish();

    let mut g = c.benchmark_group("serialize_udp_64");
    let mut buf = vec![0u8; 106];
    g.bench_function("zerocast", |x| x.iter(|| zc::serialize(black_box(&mut buf), black_box(&payload))));
    g.bench_function("zerocast-emit", |x| x.iter(|| zc::emit(black_box(&mut buf), black_box(&payload))));
    g.bench_function("packet-formats", |x| x.iter(|| pf::serialize(black_box(&mut buf), black_box(&payload))));
    g.bench_function("smoltcp", |x| x.iter(|| st::serialize(black_box(&mut buf), black_box(&payload))));
    g.bench_function("etherparse", |x| x.iter(|| ep::serialize(black_box(&mut buf), black_box(&payload))));
    g.finish();
}

/// Measures the contenders of each group interleaved: every round times one batch of each
/// contender in a rotating order, so load from other processes on the shared machine falls on
/// all of them alike; reports the median ns/iteration per contender and the ratio of
/// zerocast's median to packet-formats'.
fn interleaved() {
    use std::time::Instant;
    const BATCH: usize = 2_000;
    const ROUNDS: usize = 1_000;
    let (udp, tcp) = frames();
    let payload = [0x33u8; 64];
    type Job<'a> = (&'static str, Box<dyn FnMut() + 'a>);
    let mut buf_zc = vec![0u8; 106];
    let mut buf_emit = vec![0u8; 106];
    let mut buf_pf = vec![0u8; 106];
    let mut buf_st = vec![0u8; 106];
    let mut buf_ep = vec![0u8; 106];
    let groups: Vec<(&str, Vec<Job<'_>>)> = vec![
        ("parse_udp_77", vec![
            ("zerocast", Box::new(|| { black_box(zc::udp(black_box(&udp))); })),
            ("packet-formats", Box::new(|| { black_box(pf::udp(black_box(&udp))); })),
            ("smoltcp", Box::new(|| { black_box(st::udp(black_box(&udp))); })),
            ("etherparse", Box::new(|| { black_box(ep::udp(black_box(&udp))); })),
        ]),
        ("parse_tcp_ts_590", vec![
            ("zerocast", Box::new(|| { black_box(zc::tcp(black_box(&tcp))); })),
            ("packet-formats", Box::new(|| { black_box(pf::tcp(black_box(&tcp))); })),
            ("smoltcp", Box::new(|| { black_box(st::tcp(black_box(&tcp))); })),
            ("etherparse", Box::new(|| { black_box(ep::tcp(black_box(&tcp))); })),
        ]),
        ("serialize_udp_64", vec![
            ("zerocast", Box::new(|| { black_box(zc::serialize(black_box(&mut buf_zc), black_box(&payload))); })),
            ("zerocast-emit", Box::new(|| { black_box(zc::emit(black_box(&mut buf_emit), black_box(&payload))); })),
            ("packet-formats", Box::new(|| { black_box(pf::serialize(black_box(&mut buf_pf), black_box(&payload))); })),
            ("smoltcp", Box::new(|| { black_box(st::serialize(black_box(&mut buf_st), black_box(&payload))); })),
            ("etherparse", Box::new(|| { black_box(ep::serialize(black_box(&mut buf_ep), black_box(&payload))); })),
        ]),
    ];
    println!("interleaved: {ROUNDS} rounds x {BATCH} iterations per contender, median ns/iter");
    for (group, mut jobs) in groups {
        let n = jobs.len();
        let mut times = vec![Vec::with_capacity(ROUNDS); n];
        for round in 0..ROUNDS {
            for k in 0..n {
                let i = (round + k) % n;
                let f = &mut jobs[i].1;
                let t = Instant::now();
                for _ in 0..BATCH {
                    f();
                }
                times[i].push(t.elapsed().as_nanos() as f64 / BATCH as f64);
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let medians: Vec<f64> = times.iter_mut().map(median).collect();
        let pf = medians[jobs.iter().position(|j| j.0 == "packet-formats").unwrap()];
        for (j, m) in jobs.iter().zip(&medians) {
            println!("{group:18} {:16} {m:8.1} ns   {:5.2}x packet-formats", j.0, m / pf);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2)).sample_size(50);
    targets = bench
}

fn main() {
    // `ZC_BENCH_INTERLEAVED=1 cargo bench`: the interleaved comparison only (the one to quote
    // on a loaded machine); otherwise criterion's per-contender runs.
    if std::env::var_os("ZC_BENCH_INTERLEAVED").is_some() {
        interleaved();
    } else {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
