//! Round trip on real traffic: every frame of the sample capture is parsed layer by layer,
//! each header is zeroed and rebuilt from its parsed field values, and the frame must come out
//! byte for byte identical. The one allowed difference is a checksum the capture carries
//! wrong on purpose (hping3's bad UDP checksums): it is rebuilt correct, and strict parsing
//! must then accept it.

mod common;

use std::ops::Range;

use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::icmpv4::Icmpv4Packet;
use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
use zerocast_wire::igmp::{IgmpPacket, IgmpV3Builder, IgmpV3Message};
use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::mld::{MldBuilder, MldMessage, MldV2RecordRepr};
use zerocast_wire::ndp::{NdpBody, NdpBuilder, NdpOptionRepr};
use zerocast_wire::tcp::TcpPacket;
use zerocast_wire::udp::UdpPacket;
use zerocast_wire::vlan::VlanTag;
use zerocast_wire::zerocast::FromBytes;
use zerocast_wire::Ipv6Addr;
use zerocast_wire::{arp::ArpPacket, ChecksumStatus, IpProto, ParseOptions, PseudoHeader};

/// Rebuilds `frame` into a copy; returns it, the checksum ranges that were wrong in the
/// capture, and how many layers were rebuilt.
fn rebuild(frame: &[u8]) -> (Vec<u8>, Vec<Range<usize>>, usize) {
    let mut out = frame.to_vec();
    let mut bad = Vec::new();
    let mut layers = 0;
    let eth = EthernetFrame::parse(frame).expect("ethernet");
    out[..14].fill(0);
    eth.repr().emit(&mut out[..14]).unwrap();
    layers += 1;
    let mut off = 14;
    let mut ethertype = eth.ethertype();
    while ethertype.is_vlan_tag() {
        let tag = VlanTag::parse(&frame[off..]).expect("vlan");
        out[off..off + 4].fill(0);
        tag.repr().emit(&mut out[off..off + 4]).unwrap();
        layers += 1;
        ethertype = tag.ethertype();
        off += 4;
    }
    let l3 = &frame[off..];
    match ethertype {
        EtherType::ARP => {
            let arp = ArpPacket::parse(l3).expect("arp");
            out[off..off + 28].fill(0);
            arp.repr().emit(&mut out[off..off + 28]).unwrap();
            layers += 1;
        }
        EtherType::IPV4 => {
            let ip = Ipv4Packet::parse(l3).expect("strict IPv4 on the full capture");
            let hl = ip.header_len();
            let total = usize::from(ip.total_len());
            out[off..off + hl].fill(0);
            ip.repr().emit(&mut out[off..off + hl], total - hl).unwrap();
            layers += 1;
            if !ip.is_fragment() {
                let ph = ip.pseudo_header();
                layers += rebuild_upper(
                    ip.protocol(),
                    ip.payload(),
                    off + hl,
                    ph,
                    &mut out,
                    &mut bad,
                );
            }
        }
        EtherType::IPV6 => {
            let ip = Ipv6Packet::parse(l3).expect("strict IPv6 on the full capture");
            let hl = 40 + ip.extensions_bytes().len();
            out[off..off + hl].fill(0);
            ip.repr()
                .emit(&mut out[off..off + hl], ip.payload().len())
                .unwrap();
            layers += 1;
            if !ip.is_fragment() {
                let ph = ip.pseudo_header();
                let proto = ip.upper_protocol();
                layers += rebuild_upper(proto, ip.payload(), off + hl, ph, &mut out, &mut bad);
            }
        }
        other => panic!("unexpected EtherType {other}"),
    }
    (out, bad, layers)
}

fn rebuild_upper(
    proto: IpProto,
    payload: &[u8],
    off: usize,
    ph: PseudoHeader,
    out: &mut [u8],
    bad: &mut Vec<Range<usize>>,
) -> usize {
    let lenient = ParseOptions::LENIENT;
    let region = off..off + payload.len();
    match proto {
        IpProto::UDP => {
            let udp = UdpPacket::parse_with(payload, Some(ph), lenient).expect("udp");
            if udp.checksum_status() == ChecksumStatus::Bad {
                bad.push(off + 6..off + 8);
            }
            let len = usize::from(udp.length());
            let pseudo = (udp.checksum() != 0).then_some(ph);
            out[off..off + 8].fill(0);
            udp.repr().emit(&mut out[off..off + len], pseudo).unwrap();
        }
        IpProto::TCP => {
            let tcp = TcpPacket::parse_with(payload, Some(ph), lenient).expect("tcp");
            if tcp.checksum_status() == ChecksumStatus::Bad {
                bad.push(off + 16..off + 18);
            }
            out[off..off + tcp.header_len()].fill(0);
            tcp.repr().emit(&mut out[region], Some(ph)).unwrap();
        }
        IpProto::ICMP => {
            let icmp = Icmpv4Packet::parse(payload).expect("icmp");
            out[off..off + 8].fill(0);
            icmp.repr().emit(&mut out[region]).unwrap();
        }
        IpProto::ICMPV6 => {
            let icmp = Icmpv6Packet::parse(payload, ph).expect("icmpv6");
            out[off..off + 4].fill(0);
            icmp.repr().emit(&mut out[region], ph).unwrap();
        }
        IpProto::IGMP => {
            let igmp = IgmpPacket::parse(payload).expect("igmp");
            out[off..off + 8].fill(0);
            igmp.repr().emit(&mut out[region]).unwrap();
        }
        _ => return 0,
    }
    1
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_sample_frame_rebuilds_byte_for_byte() {
    let frames = common::read_pcap(&common::samples_dir().join("kernel-mix.pcap"));
    assert!(frames.len() > 300);
    let (mut identical, mut fixed_checksums, mut layers) = (0, 0, 0);
    for (i, rec) in frames.iter().enumerate() {
        let (out, bad, n) = rebuild(&rec.data);
        layers += n;
        if bad.is_empty() {
            assert_eq!(out, rec.data, "frame {} differs after rebuild", i + 1);
            identical += 1;
        } else {
            for (j, (a, b)) in out.iter().zip(&rec.data).enumerate() {
                if a != b {
                    assert!(
                        bad.iter().any(|r| r.contains(&j)),
                        "frame {} byte {j} differs",
                        i + 1
                    );
                }
            }
            fixed_checksums += 1;
        }
    }
    assert_eq!(identical + fixed_checksums, frames.len());
    assert!(identical >= frames.len() - 10, "only {identical} identical");
    // Ethernet + IP + transport for most frames; ARP frames and non-first fragments have two.
    assert!(
        layers * 10 > 28 * frames.len(),
        "only {layers} layers rebuilt"
    );
    eprintln!("{identical} identical, {fixed_checksums} with a deliberately bad checksum, {layers} layers");
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_truncation_of_every_sample_frame_is_an_error_or_a_view_never_a_panic() {
    let frames = common::read_pcap(&common::samples_dir().join("kernel-mix.pcap"));
    for rec in frames.iter().filter(|r| r.data.len() <= 200) {
        for n in 0..rec.data.len() {
            let fields = common::dissect(&rec.data[..n]);
            assert_eq!(fields.contains_key("eth.type"), n >= 14);
        }
    }
}

#[test]
#[cfg(feature = "alloc")]
#[cfg_attr(miri, ignore)]
fn sample_fragmented_pings_reassemble_to_packets_whose_icmp_checksums_verify() {
    use zerocast_wire::reassembly::{Ipv4Reassembler, Ipv6Reassembler, Reassembled};
    let frames = common::read_pcap(&common::samples_dir().join("kernel-mix.pcap"));
    let mut r4 = Ipv4Reassembler::new(Default::default());
    let mut r6 = Ipv6Reassembler::new(Default::default());
    let (mut v4_done, mut v6_done) = (0, 0);
    for (t, rec) in frames.iter().enumerate() {
        let eth = EthernetFrame::parse(&rec.data[..]).unwrap();
        match eth.ethertype() {
            EtherType::IPV4 => {
                let ip = Ipv4Packet::parse(eth.into_payload()).unwrap();
                if !ip.is_fragment() {
                    continue;
                }
                if let Reassembled::Complete(whole) = r4.insert(&ip, t as u64).unwrap() {
                    let ip = Ipv4Packet::parse(&whole[..]).unwrap();
                    assert_eq!(ip.protocol(), IpProto::ICMP);
                    assert!(ip.payload().len() > 2000);
                    Icmpv4Packet::parse(ip.payload()).expect("reassembled ICMP checksum verifies");
                    v4_done += 1;
                }
            }
            EtherType::IPV6 => {
                let ip = Ipv6Packet::parse(eth.into_payload()).unwrap();
                if !ip.is_fragment() {
                    continue;
                }
                if let Reassembled::Complete(whole) = r6.insert(&ip, t as u64).unwrap() {
                    let ip = Ipv6Packet::parse(&whole[..]).unwrap();
                    assert_eq!(ip.upper_protocol(), IpProto::ICMPV6);
                    Icmpv6Packet::parse(ip.payload(), ip.pseudo_header())
                        .expect("reassembled ICMPv6 checksum verifies");
                    v6_done += 1;
                }
            }
            _ => {}
        }
    }
    assert!(
        v4_done >= 4 && v6_done >= 2,
        "reassembled {v4_done} IPv4 and {v6_done} IPv6 packets"
    );
    assert_eq!((r4.pending(), r6.pending()), (0, 0));
}

#[test]
#[cfg_attr(miri, ignore)]
fn parsing_off_a_buffer_then_undoing_every_layer_restores_every_sample_frame() {
    use zerocast_packet::{Buf, GrowBuffer, ParsablePacket, ParseBuffer};
    let frames = common::read_pcap(&common::samples_dir().join("kernel-mix.pcap"));
    let mut layers_undone = 0;
    for rec in &frames {
        let mut buf = Buf::new(rec.data.clone(), ..);
        let mut metas = Vec::new();
        let (ethertype, direct) = {
            let eth = buf.parse::<EthernetFrame<_>>().unwrap();
            metas.push(eth.parse_metadata());
            (
                eth.ethertype(),
                EthernetFrame::parse(&rec.data[..]).unwrap().payload().len(),
            )
        };
        assert_eq!(
            buf.as_ref().len(),
            direct,
            "Ethernet body stays in the buffer"
        );
        let mut et = ethertype;
        while et.is_vlan_tag() {
            let tag = buf.parse::<VlanTag<_>>().unwrap();
            metas.push(tag.parse_metadata());
            et = tag.ethertype();
        }
        let lenient = ParseOptions::LENIENT;
        match et {
            EtherType::IPV4 => {
                let (meta, proto, ph, frag) = {
                    let ip = buf.parse_with::<_, Ipv4Packet<_>>(lenient).unwrap();
                    (
                        ip.parse_metadata(),
                        ip.protocol(),
                        ip.pseudo_header(),
                        ip.is_fragment(),
                    )
                };
                metas.push(meta);
                if !frag && proto == IpProto::UDP {
                    let udp = buf
                        .parse_with::<_, UdpPacket<_>>((Some(ph), lenient))
                        .unwrap();
                    metas.push(udp.parse_metadata());
                } else if !frag && proto == IpProto::TCP {
                    let tcp = buf
                        .parse_with::<_, TcpPacket<_>>((Some(ph), lenient))
                        .unwrap();
                    metas.push(tcp.parse_metadata());
                }
            }
            EtherType::IPV6 => {
                let (meta, proto, ph, frag) = {
                    let ip = buf.parse_with::<_, Ipv6Packet<_>>(lenient).unwrap();
                    (
                        ip.parse_metadata(),
                        ip.upper_protocol(),
                        ip.pseudo_header(),
                        ip.is_fragment(),
                    )
                };
                metas.push(meta);
                if !frag && proto == IpProto::ICMPV6 {
                    let icmp = buf.parse_with::<_, Icmpv6Packet<_>>((ph, lenient)).unwrap();
                    metas.push(icmp.parse_metadata());
                }
            }
            EtherType::ARP => {
                let arp = buf.parse::<ArpPacket<_>>().unwrap();
                metas.push(arp.parse_metadata());
            }
            _ => {}
        }
        for meta in metas.into_iter().rev() {
            buf.undo_parse(meta);
            layers_undone += 1;
        }
        assert_eq!(buf.as_ref(), &rec.data[..], "undo_parse restores the frame");
    }
    assert!(layers_undone > 2 * frames.len());
}

/// Rebuilds an NDP or MLD message from its parsed values with the dedicated builders.
fn rebuild_icmpv6_message(icmp: &Icmpv6Packet<&[u8]>, ph: PseudoHeader) -> Option<Vec<u8>> {
    let options: Vec<NdpOptionRepr<'_>> = icmp
        .ndp_options()
        .map(|o| o.map(NdpOptionRepr::from))
        .collect::<Result<_, _>>()
        .ok()?;
    let body = match icmp.message() {
        Icmpv6Message::RouterSolicitation(m, _) => NdpBody::RouterSolicitation(*m),
        Icmpv6Message::RouterAdvertisement(m, _) => NdpBody::RouterAdvertisement(*m),
        Icmpv6Message::NeighborSolicitation(m, _) => NdpBody::NeighborSolicitation(*m),
        Icmpv6Message::NeighborAdvertisement(m, _) => NdpBody::NeighborAdvertisement(*m),
        Icmpv6Message::Redirect(m, _) => NdpBody::Redirect(*m),
        other => {
            let records: Vec<MldV2RecordRepr<'_>>;
            let message = match other {
                Icmpv6Message::MldV1Query(m) => MldMessage::V1Query(*m),
                Icmpv6Message::MldV1Report(m) => MldMessage::V1Report(*m),
                Icmpv6Message::MldDone(m) => MldMessage::Done(*m),
                Icmpv6Message::MldV2Query(m, tail, sources) => MldMessage::V2Query {
                    query: *m,
                    s_qrv: tail.s_qrv,
                    qqic: tail.qqic,
                    sources: <[Ipv6Addr]>::ref_from_bytes(sources).ok()?,
                },
                Icmpv6Message::MldV2Report(_, recs) => {
                    records = recs
                        .map(|r| r.map(|r| r.repr()))
                        .collect::<Result<_, _>>()
                        .ok()?;
                    MldMessage::V2Report { records: &records }
                }
                _ => return None,
            };
            let b = MldBuilder::new(message, ph).unwrap();
            let mut out = vec![0u8; b.len()];
            b.emit(&mut out).unwrap();
            return Some(out);
        }
    };
    let b = NdpBuilder::new(body, &options, ph).unwrap();
    let mut out = vec![0u8; b.len()];
    b.emit(&mut out).unwrap();
    Some(out)
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_sample_ndp_mld_and_igmpv3_message_rebuilds_from_its_values_with_its_builder() {
    let frames = common::read_pcap(&common::samples_dir().join("kernel-mix.pcap"));
    let mut kinds = std::collections::BTreeMap::<u8, usize>::new();
    for frame in &frames {
        let Ok(eth) = EthernetFrame::parse(&frame.data[..]) else {
            continue;
        };
        if eth.ethertype() == EtherType::IPV6 {
            let Ok(ip) = Ipv6Packet::parse(eth.payload()) else {
                continue;
            };
            if ip.upper_protocol() != IpProto::ICMPV6 || ip.is_fragment() {
                continue;
            }
            let ph = ip.pseudo_header();
            let icmp = Icmpv6Packet::parse(ip.payload(), ph).expect("icmpv6");
            if let Some(rebuilt) = rebuild_icmpv6_message(&icmp, ph) {
                assert_eq!(rebuilt, ip.payload(), "ICMPv6 type {}", icmp.msg_type());
                *kinds.entry(icmp.msg_type()).or_default() += 1;
            }
        } else if eth.ethertype() == EtherType::IPV4 {
            let Ok(ip) = Ipv4Packet::parse(eth.payload()) else {
                continue;
            };
            let Ok(igmp) = IgmpPacket::parse(ip.payload()) else {
                continue;
            };
            if igmp.msg_type() != zerocast_wire::igmp::TYPE_V3_REPORT {
                continue;
            }
            let records: Vec<_> = igmp.v3_records().map(|r| r.unwrap().repr()).collect();
            let b = IgmpV3Builder::new(IgmpV3Message::Report { records: &records }).unwrap();
            let mut out = vec![0u8; b.len()];
            b.emit(&mut out).unwrap();
            assert_eq!(out, ip.payload(), "IGMPv3 report");
            *kinds.entry(0x22).or_default() += 1;
        }
    }
    // The samples hold NS, NA, RS, MLDv2 reports and IGMPv3 reports at least.
    for kind in [133, 135, 136, 143, 0x22] {
        assert!(
            kinds.contains_key(&kind),
            "no type {kind} message in {kinds:?}"
        );
    }
}
