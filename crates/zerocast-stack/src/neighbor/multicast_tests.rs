//! Group-and-source-specific queries through a whole stack (RFC 3376 section 5.2, RFC 9777
//! section 6.2): an IGMPv3 or MLDv2 query naming sources of a joined group is answered
//! with a MODE_IS_INCLUDE record of exactly those sources. Max Resp Code 0 makes the
//! answer due at the instant the query arrives, so the tests know when it leaves.

use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::ethernet::{EtherType, EthernetFrame, EthernetRepr};
use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
use zerocast_wire::igmp::{IgmpPacket, IgmpV3Builder, IgmpV3Message};
use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
use zerocast_wire::ipv6::{Ipv6Packet, Ipv6Repr};
use zerocast_wire::mld::{MldBuilder, MldMessage, MldV1};
use zerocast_wire::{IpProto, Ipv4Addr, Ipv6Addr, MacAddr, PseudoHeader};

use crate::context::Clock;
use crate::membership::{MODE_IS_EXCLUDE, MODE_IS_INCLUDE};
use crate::testutil::{FakeBindings, SentFrame};
use crate::time::Duration;
use crate::{DeviceId, Stack, StackConfig};

const MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0x0a]);
const ROUTER_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0x01]);
const GROUP4: Ipv4Addr = Ipv4Addr([239, 1, 2, 3]);

fn v6(s: &str) -> Ipv6Addr {
    s.parse::<core::net::Ipv6Addr>().unwrap().into()
}

/// A stack in 239.1.2.3 and ff05::7 through one socket, the joins' reports sent.
fn member() -> (Stack, FakeBindings, DeviceId) {
    let mut bc = FakeBindings::new(21);
    let mut stack = Stack::new(StackConfig::default());
    stack.set_dad_transmits(0);
    let dev = stack.add_ethernet_device(MAC, 1500);
    stack
        .add_address(&mut bc, dev, "10.0.0.1".parse().unwrap(), 24)
        .unwrap();
    let sock = stack.udp_open().unwrap();
    for group in [IpAddr::from(GROUP4.0), "ff05::7".parse().unwrap()] {
        stack.udp_join_multicast(&mut bc, sock, group, dev).unwrap();
    }
    bc.advance(Duration::from_secs(2));
    stack.handle_timers(&mut bc);
    bc.take_sent();
    (stack, bc, dev)
}

fn igmp_query(group: Ipv4Addr, sources: &[Ipv4Addr]) -> Vec<u8> {
    let query = IgmpV3Builder::new(IgmpV3Message::Query {
        max_resp: 0,
        group,
        s_qrv: 2,
        qqic: 125,
        sources,
    })
    .unwrap();
    let ip = Ipv4Repr::new(Ipv4Addr([10, 0, 0, 254]), group, IpProto::IGMP, 1);
    let eth = EthernetRepr {
        dst: MacAddr([1, 0, 0x5e, group.0[1] & 0x7f, group.0[2], group.0[3]]),
        src: ROUTER_MAC,
        ethertype: EtherType::IPV4,
    };
    query
        .into_serializer()
        .wrap_in(ip.builder().unwrap())
        .wrap_in(eth)
        .serialize_vec_outer()
        .unwrap()
        .as_ref()
        .to_vec()
}

fn mld_query(group: Ipv6Addr, sources: &[Ipv6Addr]) -> Vec<u8> {
    let src = v6("fe80::1");
    let query = MldBuilder::new(
        MldMessage::V2Query {
            query: MldV1::new(0, group),
            s_qrv: 2,
            qqic: 125,
            sources,
        },
        PseudoHeader::V6 { src, dst: group },
    )
    .unwrap();
    let ip = Ipv6Repr::new(src, group, IpProto::ICMPV6, 1);
    let eth = EthernetRepr {
        dst: MacAddr::ipv6_multicast(group),
        src: ROUTER_MAC,
        ethertype: EtherType::IPV6,
    };
    query
        .into_serializer()
        .wrap_in(ip.builder().unwrap())
        .wrap_in(eth)
        .serialize_vec_outer()
        .unwrap()
        .as_ref()
        .to_vec()
}

/// Every IGMPv3 record sent: (record type, group, sources).
fn igmp_records(sent: &[SentFrame]) -> Vec<(u8, Ipv4Addr, Vec<Ipv4Addr>)> {
    let mut out = Vec::new();
    for f in sent {
        let Ok(eth) = EthernetFrame::parse(&f.bytes[..]) else {
            continue;
        };
        let Ok(ip) = Ipv4Packet::parse(eth.payload()) else {
            continue;
        };
        let Ok(igmp) = IgmpPacket::parse(ip.payload()) else {
            continue;
        };
        for r in igmp.v3_records().flatten() {
            let sources = r
                .sources
                .chunks_exact(4)
                .map(|a| Ipv4Addr([a[0], a[1], a[2], a[3]]))
                .collect();
            out.push((r.record_type, r.group, sources));
        }
    }
    out
}

/// Every MLDv2 record sent: (record type, group, sources).
fn mld_records(sent: &[SentFrame]) -> Vec<(u8, Ipv6Addr, Vec<Ipv6Addr>)> {
    let mut out = Vec::new();
    for f in sent {
        let Ok(eth) = EthernetFrame::parse(&f.bytes[..]) else {
            continue;
        };
        let Ok(ip) = Ipv6Packet::parse(eth.payload()) else {
            continue;
        };
        let Ok(icmp) = Icmpv6Packet::parse(ip.payload(), ip.pseudo_header()) else {
            continue;
        };
        if let Icmpv6Message::MldV2Report(_, records) = icmp.message() {
            for r in records.flatten() {
                let repr = r.repr();
                out.push((repr.record_type, repr.group, repr.sources.to_vec()));
            }
        }
    }
    out
}

#[test]
fn igmpv3_source_specific_query_is_answered_with_the_queried_sources_rfc3376_5_2() {
    let (mut stack, mut bc, dev) = member();
    let (s7, s9) = (Ipv4Addr([10, 0, 0, 7]), Ipv4Addr([10, 0, 0, 9]));
    stack.receive_frame(&mut bc, dev, &mut igmp_query(GROUP4, &[s9, s7]));
    assert!(
        bc.take_sent().is_empty(),
        "answered from the timer, not inline"
    );
    assert_eq!(stack.next_deadline(), Some(bc.now()), "Max Resp 0: due now");
    stack.handle_timers(&mut bc);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        igmp_records(&sent),
        [(MODE_IS_INCLUDE, GROUP4, alloc::vec![s7, s9])]
    );
    // A group we are not in: no answer.
    let other = Ipv4Addr([239, 9, 9, 9]);
    stack.receive_frame(&mut bc, dev, &mut igmp_query(other, &[s7]));
    stack.handle_timers(&mut bc);
    assert!(bc.take_sent().is_empty());
    // A group-specific query still gets the current state.
    stack.receive_frame(&mut bc, dev, &mut igmp_query(GROUP4, &[]));
    stack.handle_timers(&mut bc);
    assert_eq!(
        igmp_records(&bc.take_sent()),
        [(MODE_IS_EXCLUDE, GROUP4, Vec::new())]
    );
}

#[test]
fn mldv2_source_specific_query_is_answered_with_the_queried_sources_rfc9777_6_2() {
    let (mut stack, mut bc, dev) = member();
    let group = v6("ff05::7");
    let (s7, s9) = (v6("2001:db8::7"), v6("2001:db8::9"));
    stack.receive_frame(&mut bc, dev, &mut mld_query(group, &[s9, s7, s9]));
    stack.handle_timers(&mut bc);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        mld_records(&sent),
        [(MODE_IS_INCLUDE, group, alloc::vec![s7, s9])]
    );
}
