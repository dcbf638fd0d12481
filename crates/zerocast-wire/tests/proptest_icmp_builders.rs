//! Property tests for the NDP, MLD and IGMPv3 builders: random messages (every NDP body,
//! every option kind, MLDv1/v2 and IGMPv3 with random records, sources and aux data) build
//! to bytes that parse back strictly, checksum included, to the same values, and a message
//! rebuilt from the parsed values is byte for byte the same.

use proptest::prelude::*;
use zerocast_wire::icmpv6::{Icmpv6Message, Icmpv6Packet};
use zerocast_wire::igmp::{IgmpPacket, IgmpV3Builder, IgmpV3Message, IgmpV3RecordRepr};
use zerocast_wire::mld::{MldBuilder, MldMessage, MldV1, MldV2RecordRepr};
use zerocast_wire::ndp::{NdpBody, NdpBuilder, NdpOptionRepr, PrefixInformation};
use zerocast_wire::zerocast::FromBytes;
use zerocast_wire::{Ipv4Addr, Ipv6Addr, MacAddr, PseudoHeader};

fn cases() -> u32 {
    if cfg!(miri) {
        8
    } else {
        512
    }
}

/// The owned data an NDP option is built from (the repr borrows it).
#[derive(Debug, Clone)]
enum Opt {
    Slla([u8; 6]),
    Tlla([u8; 6]),
    Prefix([u8; 30]),
    Redirected(Vec<u8>),
    Mtu(u32),
    Nonce(Vec<u8>),
    Rdnss(u32, Vec<[u8; 16]>),
    Raw(u8, Vec<u8>),
}

fn opt() -> impl Strategy<Value = Opt> {
    prop_oneof![
        any::<[u8; 6]>().prop_map(Opt::Slla),
        any::<[u8; 6]>().prop_map(Opt::Tlla),
        any::<[u8; 30]>().prop_map(Opt::Prefix),
        proptest::collection::vec(any::<u8>(), 0..60).prop_map(Opt::Redirected),
        any::<u32>().prop_map(Opt::Mtu),
        proptest::collection::vec(any::<u8>(), 6..30).prop_map(Opt::Nonce),
        (
            any::<u32>(),
            proptest::collection::vec(any::<[u8; 16]>(), 0..4)
        )
            .prop_map(|(l, s)| Opt::Rdnss(l, s)),
        (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(k, d)| Opt::Raw(k, d)),
    ]
}

fn repr(o: &Opt) -> NdpOptionRepr<'_> {
    match o {
        Opt::Slla(m) => NdpOptionRepr::SourceLinkLayer(MacAddr(*m)),
        Opt::Tlla(m) => NdpOptionRepr::TargetLinkLayer(MacAddr(*m)),
        Opt::Prefix(p) => {
            NdpOptionRepr::PrefixInformation(PrefixInformation::read_from_bytes(p).unwrap())
        }
        Opt::Redirected(p) => NdpOptionRepr::RedirectedHeader(p),
        Opt::Mtu(m) => NdpOptionRepr::Mtu(*m),
        Opt::Nonce(n) => NdpOptionRepr::Nonce(n),
        Opt::Rdnss(l, s) => NdpOptionRepr::Rdnss {
            lifetime: *l,
            servers: <[Ipv6Addr]>::ref_from_bytes(s.as_flattened()).unwrap(),
        },
        Opt::Raw(k, d) => NdpOptionRepr::Raw { kind: *k, data: d },
    }
}

fn body() -> impl Strategy<Value = NdpBody> {
    let a = || any::<[u8; 16]>().prop_map(Ipv6Addr);
    prop_oneof![
        Just(NdpBody::router_solicitation()),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u16>(),
            any::<u32>(),
            any::<u32>()
        )
            .prop_map(|(h, f, l, r, t)| NdpBody::router_advertisement(h, f, l, r, t)),
        a().prop_map(NdpBody::neighbor_solicitation),
        (a(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(t, r, s, o)| NdpBody::neighbor_advertisement(t, r, s, o)),
        (a(), a()).prop_map(|(t, d)| NdpBody::redirect(t, d)),
    ]
}

fn pseudo() -> impl Strategy<Value = PseudoHeader> {
    (any::<[u8; 16]>(), any::<[u8; 16]>()).prop_map(|(s, d)| PseudoHeader::V6 {
        src: Ipv6Addr(s),
        dst: Ipv6Addr(d),
    })
}

fn build_ndp(body: NdpBody, options: &[NdpOptionRepr<'_>], ph: PseudoHeader) -> Vec<u8> {
    let b = NdpBuilder::new(body, options, ph).unwrap();
    let mut out = vec![0u8; b.len()];
    b.emit(&mut out).unwrap();
    out
}

/// A record's owned data: type, group, sources, aux words.
type Rec<A> = (u8, A, Vec<A>, Vec<[u8; 4]>);

fn rec<A: Arbitrary + Clone + 'static>() -> impl Strategy<Value = Rec<A>> {
    (
        any::<u8>(),
        any::<A>(),
        proptest::collection::vec(any::<A>(), 0..4),
        proptest::collection::vec(any::<[u8; 4]>(), 0..3),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn ndp_messages_parse_back_and_reemit(
        body in body(),
        opts in proptest::collection::vec(opt(), 0..5),
        ph in pseudo(),
    ) {
        let options: Vec<_> = opts.iter().map(repr).collect();
        let m = build_ndp(body, &options, ph);
        let icmp = Icmpv6Packet::parse(&m[..], ph).unwrap();
        prop_assert_eq!(icmp.msg_type(), body.msg_type());
        let parsed = match icmp.message() {
            Icmpv6Message::RouterSolicitation(b, _) => NdpBody::RouterSolicitation(*b),
            Icmpv6Message::RouterAdvertisement(b, _) => NdpBody::RouterAdvertisement(*b),
            Icmpv6Message::NeighborSolicitation(b, _) => NdpBody::NeighborSolicitation(*b),
            Icmpv6Message::NeighborAdvertisement(b, _) => NdpBody::NeighborAdvertisement(*b),
            Icmpv6Message::Redirect(b, _) => NdpBody::Redirect(*b),
            other => panic!("{other:?}"),
        };
        prop_assert_eq!(parsed, body);
        let records: Vec<_> = icmp.ndp_options().map(|o| o.unwrap()).collect();
        prop_assert_eq!(records.len(), options.len());
        for (r, o) in records.iter().zip(&options) {
            prop_assert_eq!(r.kind, o.kind());
            prop_assert_eq!(r.data.len() + 2, o.len());
        }
        let raw: Vec<_> = records.into_iter().map(NdpOptionRepr::from).collect();
        prop_assert_eq!(build_ndp(parsed, &raw, ph), m);
    }

    #[test]
    fn mld_messages_parse_back_and_reemit(
        kind in 0u8..5,
        max_response in any::<u16>(),
        group in any::<[u8; 16]>(),
        s_qrv in any::<u8>(),
        qqic in any::<u8>(),
        sources in proptest::collection::vec(any::<[u8; 16]>(), 0..4),
        recs in proptest::collection::vec(rec::<[u8; 16]>(), 0..4),
        ph in pseudo(),
    ) {
        let v1 = MldV1::new(max_response, Ipv6Addr(group));
        let srcs = <[Ipv6Addr]>::ref_from_bytes(sources.as_flattened()).unwrap();
        let owned: Vec<(u8, Ipv6Addr, &[Ipv6Addr], &[u8])> = recs
            .iter()
            .map(|(t, g, s, a)| {
                (*t, Ipv6Addr(*g), <[Ipv6Addr]>::ref_from_bytes(s.as_flattened()).unwrap(), a.as_flattened())
            })
            .collect();
        let records: Vec<MldV2RecordRepr<'_>> = owned
            .iter()
            .map(|&(record_type, group, sources, aux)| MldV2RecordRepr { record_type, group, sources, aux })
            .collect();
        let message = match kind {
            0 => MldMessage::V1Query(v1),
            1 => MldMessage::V1Report(v1),
            2 => MldMessage::Done(v1),
            3 => MldMessage::V2Query { query: v1, s_qrv, qqic, sources: srcs },
            _ => MldMessage::V2Report { records: &records },
        };
        let b = MldBuilder::new(message, ph).unwrap();
        let mut m = vec![0u8; b.len()];
        b.emit(&mut m).unwrap();
        let icmp = Icmpv6Packet::parse(&m[..], ph).unwrap();
        let parsed_records: Vec<MldV2RecordRepr<'_>>;
        let back = match icmp.message() {
            Icmpv6Message::MldV1Query(q) => MldMessage::V1Query(*q),
            Icmpv6Message::MldV1Report(r) => MldMessage::V1Report(*r),
            Icmpv6Message::MldDone(d) => MldMessage::Done(*d),
            Icmpv6Message::MldV2Query(q, tail, s) => MldMessage::V2Query {
                query: *q,
                s_qrv: tail.s_qrv,
                qqic: tail.qqic,
                sources: <[Ipv6Addr]>::ref_from_bytes(s).unwrap(),
            },
            Icmpv6Message::MldV2Report(_, recs) => {
                parsed_records = recs.map(|r| r.unwrap().repr()).collect();
                MldMessage::V2Report { records: &parsed_records }
            }
            other => panic!("{other:?}"),
        };
        prop_assert_eq!(back, message);
    }

    #[test]
    fn igmpv3_messages_parse_back_and_reemit(
        query in any::<bool>(),
        max_resp in any::<u8>(),
        group in any::<[u8; 4]>(),
        s_qrv in any::<u8>(),
        qqic in any::<u8>(),
        sources in proptest::collection::vec(any::<[u8; 4]>(), 0..4),
        recs in proptest::collection::vec(rec::<[u8; 4]>(), 0..4),
    ) {
        let srcs = <[Ipv4Addr]>::ref_from_bytes(sources.as_flattened()).unwrap();
        let owned: Vec<(u8, Ipv4Addr, &[Ipv4Addr], &[u8])> = recs
            .iter()
            .map(|(t, g, s, a)| {
                (*t, Ipv4Addr(*g), <[Ipv4Addr]>::ref_from_bytes(s.as_flattened()).unwrap(), a.as_flattened())
            })
            .collect();
        let records: Vec<IgmpV3RecordRepr<'_>> = owned
            .iter()
            .map(|&(record_type, group, sources, aux)| IgmpV3RecordRepr { record_type, group, sources, aux })
            .collect();
        let message = if query {
            IgmpV3Message::Query { max_resp, group: Ipv4Addr(group), s_qrv, qqic, sources: srcs }
        } else {
            IgmpV3Message::Report { records: &records }
        };
        let b = IgmpV3Builder::new(message).unwrap();
        let mut m = vec![0u8; b.len()];
        b.emit(&mut m).unwrap();
        let igmp = IgmpPacket::parse(&m[..]).unwrap();
        prop_assert_eq!(igmp.version(), 3);
        if query {
            let q = igmp.v3_query().unwrap();
            prop_assert_eq!((igmp.max_resp(), igmp.group(), q.s_qrv, q.qqic), (max_resp, Some(Ipv4Addr(group)), s_qrv, qqic));
            prop_assert_eq!(q.sources, sources.as_flattened());
        } else {
            let parsed: Vec<_> = igmp.v3_records().map(|r| r.unwrap().repr()).collect();
            prop_assert_eq!(&parsed, &records);
            let again = IgmpV3Builder::new(IgmpV3Message::Report { records: &parsed }).unwrap();
            let mut m2 = vec![0u8; again.len()];
            again.emit(&mut m2).unwrap();
            prop_assert_eq!(m2, m);
        }
    }
}
