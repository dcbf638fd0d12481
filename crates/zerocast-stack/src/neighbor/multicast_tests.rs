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
use crate::membership::{
    FilterMode, SourceFilterError, ALLOW_NEW_SOURCES, BLOCK_OLD_SOURCES, CHANGE_TO_EXCLUDE_MODE,
    CHANGE_TO_INCLUDE_MODE, MAX_SOURCES, MODE_IS_EXCLUDE, MODE_IS_INCLUDE,
};
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
    let (mut stack, mut bc, dev) = on_ethernet(21);
    let sock = stack.udp_open().unwrap();
    for group in [IpAddr::from(GROUP4.0), "ff05::7".parse().unwrap()] {
        stack.udp_join_multicast(&mut bc, sock, group, dev).unwrap();
    }
    settle(&mut stack, &mut bc);
    (stack, bc, dev)
}

/// A stack (DAD off) on one Ethernet device with 10.0.0.1/24; `seed` for its bindings.
fn on_ethernet(seed: u64) -> (Stack, FakeBindings, DeviceId) {
    let mut bc = FakeBindings::new(seed);
    let mut stack = Stack::new(StackConfig::default());
    stack.set_dad_transmits(0);
    let dev = stack.add_ethernet_device(MAC, 1500);
    stack
        .add_address(&mut bc, dev, "10.0.0.1".parse().unwrap(), 24)
        .unwrap();
    (stack, bc, dev)
}

/// Lets the start-up reports go out (2 s of timers) and drops what was sent.
fn settle(stack: &mut Stack, bc: &mut FakeBindings) {
    bc.advance(Duration::from_secs(2));
    stack.handle_timers(bc);
    bc.take_sent();
}

fn igmp_query(group: Ipv4Addr, sources: &[Ipv4Addr]) -> Vec<u8> {
    igmp_query_with(group, sources, 0)
}

/// An IGMPv3 query with Max Resp Code `max_resp` (tenths of a second).
fn igmp_query_with(group: Ipv4Addr, sources: &[Ipv4Addr], max_resp: u8) -> Vec<u8> {
    let query = IgmpV3Builder::new(IgmpV3Message::Query {
        max_resp,
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

/// An IGMPv3 record: (record type, group, sources).
type IgmpRecord = (u8, Ipv4Addr, Vec<Ipv4Addr>);

/// Every IGMPv3 record sent.
fn igmp_records(sent: &[SentFrame]) -> Vec<IgmpRecord> {
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
                // The sources' bytes, read here rather than through `repr()`'s slice
                // cast, so these tests check the stack alone.
                let sources = r
                    .sources
                    .chunks_exact(16)
                    .filter_map(|a| <[u8; 16]>::try_from(a).ok().map(Ipv6Addr))
                    .collect();
                out.push((r.header.record_type, r.header.group, sources));
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

const S1: Ipv4Addr = Ipv4Addr([10, 0, 0, 51]);
const S2: Ipv4Addr = Ipv4Addr([10, 0, 0, 52]);
const S3: Ipv4Addr = Ipv4Addr([10, 0, 0, 53]);
const SSM4: Ipv4Addr = Ipv4Addr([232, 1, 1, 1]);

fn ipv4(a: Ipv4Addr) -> IpAddr {
    IpAddr::from(a.0)
}

fn ipv6(a: Ipv6Addr) -> IpAddr {
    IpAddr::from(a.0)
}

/// A stack on one Ethernet device with 10.0.0.1/24, nothing joined.
fn bare() -> (Stack, FakeBindings, DeviceId) {
    let (mut stack, mut bc, dev) = on_ethernet(22);
    settle(&mut stack, &mut bc);
    (stack, bc, dev)
}

/// Runs the stack's timers for `secs` seconds and returns what it sent.
fn run(stack: &mut Stack, bc: &mut FakeBindings, secs: u64) -> Vec<SentFrame> {
    let end = bc.now() + Duration::from_secs(secs);
    while let Some(t) = stack.next_deadline().filter(|t| *t <= end) {
        bc.set_now(t.max(bc.now()));
        stack.handle_timers(bc);
    }
    bc.set_now(end);
    bc.take_sent()
}

#[test]
fn igmpv3_source_specific_join_reports_allow_and_answers_with_the_intersection_rfc3376_5() {
    let (mut stack, mut bc, dev) = bare();
    let filter = |stack: &mut Stack, bc: &mut FakeBindings, mode, sources: &[Ipv4Addr]| {
        let sources: Vec<IpAddr> = sources.iter().map(|s| ipv4(*s)).collect();
        stack
            .set_multicast_source_filter(bc, dev, ipv4(SSM4), mode, &sources)
            .unwrap();
        bc.take_sent()
    };
    // Section 5.1: the SSM join sends ALLOW({S1, S2}) now and once more.
    let now = filter(&mut stack, &mut bc, FilterMode::Include, &[S1, S2]);
    assert_eq!(
        igmp_records(&now),
        [(ALLOW_NEW_SOURCES, SSM4, alloc::vec![S1, S2])]
    );
    assert!(stack.device(dev).unwrap().in_multicast_group(ipv4(SSM4)));
    assert_eq!(
        igmp_records(&run(&mut stack, &mut bc, 2)),
        [(ALLOW_NEW_SOURCES, SSM4, alloc::vec![S1, S2])]
    );
    // Section 5.2: INCLUDE({S1, S2}) queried for {S2, S3} answers IS_IN({S2}) ...
    stack.receive_frame(&mut bc, dev, &mut igmp_query(SSM4, &[S3, S2]));
    stack.handle_timers(&mut bc);
    assert_eq!(
        igmp_records(&bc.take_sent()),
        [(MODE_IS_INCLUDE, SSM4, alloc::vec![S2])]
    );
    // ... queried for {S3} alone, nothing; group-specific, IS_IN({S1, S2}).
    stack.receive_frame(&mut bc, dev, &mut igmp_query(SSM4, &[S3]));
    stack.handle_timers(&mut bc);
    assert!(bc.take_sent().is_empty());
    stack.receive_frame(&mut bc, dev, &mut igmp_query(SSM4, &[]));
    stack.handle_timers(&mut bc);
    assert_eq!(
        igmp_records(&bc.take_sent()),
        [(MODE_IS_INCLUDE, SSM4, alloc::vec![S1, S2])]
    );
    // A socket's any-source join takes the interface to EXCLUDE({}) (section 3.2) ...
    let sock = stack.udp_open().unwrap();
    stack
        .udp_join_multicast(&mut bc, sock, ipv4(SSM4), dev)
        .unwrap();
    assert_eq!(
        igmp_records(&bc.take_sent()),
        [(CHANGE_TO_EXCLUDE_MODE, SSM4, Vec::new())]
    );
    assert_eq!(
        stack.multicast_filter(dev, ipv4(SSM4)),
        (FilterMode::Exclude, Vec::new())
    );
    run(&mut stack, &mut bc, 2);
    // ... and its leave back to the embedder's INCLUDE({S1, S2}).
    stack
        .udp_leave_multicast(&mut bc, sock, ipv4(SSM4), dev)
        .unwrap();
    assert_eq!(
        igmp_records(&bc.take_sent()),
        [(CHANGE_TO_INCLUDE_MODE, SSM4, alloc::vec![S1, S2])]
    );
    assert!(stack.device(dev).unwrap().in_multicast_group(ipv4(SSM4)));
    run(&mut stack, &mut bc, 2);
    // Leaving the SSM join: BLOCK({S1, S2}); the device stops listening.
    let left = filter(&mut stack, &mut bc, FilterMode::Include, &[]);
    assert_eq!(
        igmp_records(&left),
        [(BLOCK_OLD_SOURCES, SSM4, alloc::vec![S1, S2])]
    );
    assert!(!stack.device(dev).unwrap().in_multicast_group(ipv4(SSM4)));
    assert_eq!(
        stack.multicast_filter(dev, ipv4(SSM4)),
        (FilterMode::Include, Vec::new())
    );
}

#[test]
fn mldv2_source_specific_join_reports_allow_and_answers_with_the_intersection_rfc9777_6() {
    let (mut stack, mut bc, dev) = bare();
    let group = v6("ff3e::8000:1");
    let (s1, s2, s3) = (v6("2001:db8::51"), v6("2001:db8::52"), v6("2001:db8::53"));
    let sources: Vec<IpAddr> = [s1, s2].iter().map(|s| ipv6(*s)).collect();
    stack
        .set_multicast_source_filter(&mut bc, dev, ipv6(group), FilterMode::Include, &sources)
        .unwrap();
    assert_eq!(
        mld_records(&bc.take_sent()),
        [(ALLOW_NEW_SOURCES, group, alloc::vec![s1, s2])]
    );
    run(&mut stack, &mut bc, 2);
    stack.receive_frame(&mut bc, dev, &mut mld_query(group, &[s3, s2]));
    stack.handle_timers(&mut bc);
    assert_eq!(
        mld_records(&bc.take_sent()),
        [(MODE_IS_INCLUDE, group, alloc::vec![s2])]
    );
    // EXCLUDE({S1}) queried for {S1, S3}: IS_IN({S3}) (section 6.3).
    stack
        .set_multicast_source_filter(&mut bc, dev, ipv6(group), FilterMode::Exclude, &[ipv6(s1)])
        .unwrap();
    assert_eq!(
        mld_records(&bc.take_sent()),
        [(CHANGE_TO_EXCLUDE_MODE, group, alloc::vec![s1])]
    );
    run(&mut stack, &mut bc, 2);
    stack.receive_frame(&mut bc, dev, &mut mld_query(group, &[s1, s3]));
    stack.handle_timers(&mut bc);
    assert_eq!(
        mld_records(&bc.take_sent()),
        [(MODE_IS_INCLUDE, group, alloc::vec![s3])]
    );
}

#[test]
fn source_filter_input_is_checked_and_a_refused_filter_changes_nothing() {
    let (mut stack, mut bc, dev) = bare();
    let g = ipv4(SSM4);
    let set = |stack: &mut Stack, bc: &mut FakeBindings, group, sources: &[IpAddr]| {
        stack.set_multicast_source_filter(bc, dev, group, FilterMode::Include, sources)
    };
    assert_eq!(
        set(&mut stack, &mut bc, ipv4(S1), &[]),
        Err(SourceFilterError::InvalidGroup)
    );
    assert_eq!(
        set(&mut stack, &mut bc, g, &["2001:db8::1".parse().unwrap()]),
        Err(SourceFilterError::InvalidSource),
        "a source of the other family"
    );
    assert_eq!(
        set(&mut stack, &mut bc, g, &["239.0.0.1".parse().unwrap()]),
        Err(SourceFilterError::InvalidSource),
        "a multicast source"
    );
    let many: Vec<IpAddr> = (0..=MAX_SOURCES as u8)
        .map(|i| IpAddr::from([10, 9, 0, i]))
        .collect();
    assert_eq!(
        set(&mut stack, &mut bc, g, &many),
        Err(SourceFilterError::TooManySources)
    );
    assert!(bc.take_sent().is_empty());
    assert!(!stack.device(dev).unwrap().in_multicast_group(g));
}

#[test]
fn an_igmpv2_querier_gets_v2_reports_and_leaves_for_source_specific_joins_rfc3376_7_2_1() {
    let (mut stack, mut bc, dev) = bare();
    // An IGMPv2 general query (8 bytes, Max Resp 10 s).
    let mut v2 = [0x11u8, 100, 0, 0, 0, 0, 0, 0];
    let c = zerocast_wire::checksum::checksum(&v2);
    v2[2..4].copy_from_slice(&c.to_be_bytes());
    let ip = Ipv4Repr::new(
        Ipv4Addr([10, 0, 0, 254]),
        Ipv4Addr([224, 0, 0, 1]),
        IpProto::IGMP,
        1,
    );
    let eth = EthernetRepr {
        dst: MacAddr([1, 0, 0x5e, 0, 0, 1]),
        src: ROUTER_MAC,
        ethertype: EtherType::IPV4,
    };
    let mut frame = v2
        .into_serializer()
        .wrap_in(ip.builder().unwrap())
        .wrap_in(eth)
        .serialize_vec_outer()
        .unwrap()
        .as_ref()
        .to_vec();
    stack.receive_frame(&mut bc, dev, &mut frame);
    let sources = [ipv4(S1), ipv4(S2)];
    stack
        .set_multicast_source_filter(&mut bc, dev, ipv4(SSM4), FilterMode::Include, &sources)
        .unwrap();
    let v2_messages = |sent: &[SentFrame]| -> Vec<(u8, Ipv4Addr)> {
        sent.iter()
            .filter_map(|f| {
                let eth = EthernetFrame::parse(&f.bytes[..]).ok()?;
                let ip = Ipv4Packet::parse(eth.payload()).ok()?;
                let igmp = IgmpPacket::parse(ip.payload()).ok()?;
                Some((igmp.msg_type(), ip.dst()))
            })
            .collect()
    };
    // One Version 2 Membership Report to the group, no IGMPv3 record.
    assert_eq!(v2_messages(&bc.take_sent()), [(0x16, SSM4)]);
    run(&mut stack, &mut bc, 2);
    stack
        .set_multicast_source_filter(&mut bc, dev, ipv4(SSM4), FilterMode::Include, &[])
        .unwrap();
    assert_eq!(
        v2_messages(&bc.take_sent()),
        [(0x17, Ipv4Addr([224, 0, 0, 2]))],
        "a Leave Group"
    );
}

/// Section 5 across a FakeNetwork segment with jitter, duplication and loss: a listener
/// joined to 232.1.1.1 from S1 and S2 and a router port that sends
/// group-and-source-specific queries (retried, as a querier does, until answered). What
/// the listener puts on the segment is captured before the link's faults, so it is exact
/// for every seed: ALLOW({S1, S2}) twice, IS_IN({S2}) for each query it hears about
/// {S2, S3}, BLOCK({S1, S2}) twice when it leaves.
#[test]
#[cfg_attr(miri, ignore)] // seconds under Miri per seed; the stack has no unsafe code of its own
fn fake_network_ssm_listener_answers_a_querier_across_a_faulty_link_rfc3376_5() {
    use alloc::rc::Rc;
    use core::cell::RefCell;

    use crate::testutil::{FakeNetwork, LinkConfig};

    for seed in 1..=4u64 {
        let mut net: FakeNetwork<Stack> = FakeNetwork::new(seed);
        let listener = net.add_host(Stack::new(StackConfig::default()));
        let router = net.add_host(Stack::new(StackConfig::default()));
        let dev = net.with_host(listener, |s, bc| {
            s.set_dad_transmits(0);
            let dev = s.add_ethernet_device(MAC, 1500);
            s.add_address(bc, dev, "10.0.0.1".parse().unwrap(), 24)
                .unwrap();
            dev
        });
        let rdev = net.with_host(router, |s, _| s.add_ethernet_device(ROUTER_MAC, 1500));
        let link = LinkConfig {
            jitter: Duration::from_millis(30),
            loss: 0.3,
            duplicate: 0.2,
            ..LinkConfig::ideal(Duration::from_millis(2))
        };
        let segment = net.connect(&[(listener, dev), (router, rdev)], link);
        let seen: Rc<RefCell<Vec<IgmpRecord>>> = Rc::default();
        let log = Rc::clone(&seen);
        net.set_filter(
            segment,
            alloc::boxed::Box::new(move |from, _, bytes| {
                if from == listener {
                    let frame = SentFrame {
                        at: crate::time::Instant::ZERO,
                        device: dev,
                        bytes: bytes.clone(),
                    };
                    log.borrow_mut()
                        .extend(igmp_records(core::slice::from_ref(&frame)));
                }
                true
            }),
        );
        net.run_for(Duration::from_secs(2));
        seen.borrow_mut().clear();

        let sources = [ipv4(S1), ipv4(S2)];
        net.with_host(listener, |s, bc| {
            s.set_multicast_source_filter(bc, dev, ipv4(SSM4), FilterMode::Include, &sources)
        })
        .unwrap();
        net.run_for(Duration::from_secs(2));
        let allow = (ALLOW_NEW_SOURCES, SSM4, alloc::vec![S1, S2]);
        assert_eq!(*seen.borrow(), [allow.clone(), allow], "seed {seed}");
        seen.borrow_mut().clear();

        // Max Resp 1 s; the querier asks again every 1.5 s, at most 8 times.
        let mut queries = 0;
        while seen.borrow().is_empty() && queries < 8 {
            net.inject(router, rdev, igmp_query_with(SSM4, &[S2, S3], 10));
            queries += 1;
            net.run_for(Duration::from_millis(1500));
        }
        let answers = seen.borrow().clone();
        assert!(
            !answers.is_empty(),
            "seed {seed}: {queries} queries, no answer"
        );
        assert!(
            answers
                .iter()
                .all(|r| *r == (MODE_IS_INCLUDE, SSM4, alloc::vec![S2])),
            "seed {seed}: {answers:?}"
        );
        seen.borrow_mut().clear();

        net.with_host(listener, |s, bc| {
            s.set_multicast_source_filter(bc, dev, ipv4(SSM4), FilterMode::Include, &[])
        })
        .unwrap();
        net.run_for(Duration::from_secs(2));
        let block = (BLOCK_OLD_SOURCES, SSM4, alloc::vec![S1, S2]);
        assert_eq!(*seen.borrow(), [block.clone(), block], "seed {seed}");
    }
}
