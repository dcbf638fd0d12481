//! Oracle test: frames built with this crate's builders must equal scapy's build of the same
//! field values, byte for byte (`scapy_oracle.py` has the scapy side).
//!
//! scapy is found through `ZC_SCAPY_PYTHON` (default `python3`); the test is skipped when it
//! cannot import scapy, and fails instead when `ZC_REQUIRE_ORACLES=1`.

use std::collections::BTreeMap;
use std::process::Command;

use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::arp::{ArpRepr, OP_REQUEST};
use zerocast_wire::ethernet::{EtherType, EthernetRepr};
use zerocast_wire::icmpv4::Icmpv4Repr;
use zerocast_wire::icmpv6::{Icmpv6Builder, Icmpv6Repr};
use zerocast_wire::igmp::{IgmpRepr, IgmpV3Builder, IgmpV3Message, IgmpV3RecordRepr};
use zerocast_wire::ipv4::Ipv4Repr;
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::mld::{MldBuilder, MldMessage, MldV1, MldV2RecordRepr};
use zerocast_wire::ndp::{NdpBody, NdpBuilder, NdpOptionRepr, PrefixInformation};
use zerocast_wire::tcp::TcpRepr;
use zerocast_wire::udp::{UdpBuilder, UdpRepr};
use zerocast_wire::vlan::VlanRepr;
use zerocast_wire::zerocast::FromZeros;
use zerocast_wire::{IpProto, Ipv4Addr, Ipv6Addr, MacAddr, ParseError, PseudoHeader};

const A: MacAddr = MacAddr([2, 0, 0, 0, 0, 0x0a]);
const B: MacAddr = MacAddr([2, 0, 0, 0, 0, 0x0b]);

fn v6(s: &str) -> Ipv6Addr {
    s.parse::<std::net::Ipv6Addr>().unwrap().into()
}

fn wrap<P: zerocast_packet::PacketBuilder>(body: &[u8], b: P) -> Vec<u8> {
    body.into_serializer()
        .wrap_in(b)
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap()
        .as_ref()
        .to_vec()
}

fn eth(dst: MacAddr, ethertype: EtherType) -> EthernetRepr {
    EthernetRepr {
        dst,
        src: B,
        ethertype,
    }
}

fn ours() -> BTreeMap<&'static str, Vec<u8>> {
    let mut m = BTreeMap::new();
    let (s4, d4) = (Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]));

    let ph = PseudoHeader::V4 { src: s4, dst: d4 };
    let udp = wrap(
        b"hello",
        UdpBuilder {
            repr: UdpRepr {
                src_port: 40000,
                dst_port: 7,
            },
            pseudo: Some(ph),
        },
    );
    let ip = Ipv4Repr {
        ident: 0x1234,
        flags: 2,
        dsfield: 0x10,
        ..Ipv4Repr::new(s4, d4, IpProto::UDP, 64)
    };
    m.insert(
        "ipv4_udp",
        wrap(&wrap(&udp, ip.builder().unwrap()), eth(A, EtherType::IPV4)),
    );

    let (s, d) = (Ipv4Addr([10, 77, 42, 1]), Ipv4Addr([10, 77, 42, 2]));
    let opts = [
        2, 4, 0x05, 0x78, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
    ];
    let tcp = TcpRepr {
        seq: 1000,
        flags: 0x002,
        window: 8192,
        options: &opts,
        ..TcpRepr::new(40042, 80)
    };
    let seg = wrap(
        &[],
        tcp.builder(Some(PseudoHeader::V4 { src: s, dst: d }))
            .unwrap(),
    );
    let ip = Ipv4Repr {
        ident: 1,
        ..Ipv4Repr::new(s, d, IpProto::TCP, 64)
    };
    let tag = VlanRepr {
        pcp: 3,
        dei: false,
        vid: 42,
        ethertype: EtherType::IPV4,
    };
    m.insert(
        "vlan_ipv4_tcp_syn",
        wrap(
            &wrap(&wrap(&seg, ip.builder().unwrap()), tag),
            eth(A, EtherType::VLAN),
        ),
    );

    let (s, d) = (Ipv4Addr([10, 77, 30, 1]), Ipv4Addr([10, 77, 30, 2]));
    let udp = wrap(
        b"qinq",
        UdpBuilder {
            repr: UdpRepr {
                src_port: 40300,
                dst_port: 40030,
            },
            pseudo: Some(PseudoHeader::V4 { src: s, dst: d }),
        },
    );
    let ip = Ipv4Repr {
        ident: 1,
        ..Ipv4Repr::new(s, d, IpProto::UDP, 64)
    };
    let c_tag = VlanRepr {
        pcp: 0,
        dei: false,
        vid: 30,
        ethertype: EtherType::IPV4,
    };
    let s_tag = VlanRepr {
        pcp: 0,
        dei: false,
        vid: 300,
        ethertype: EtherType::VLAN,
    };
    m.insert(
        "qinq_ipv4_udp",
        wrap(
            &wrap(&wrap(&wrap(&udp, ip.builder().unwrap()), c_tag), s_tag),
            eth(A, EtherType::QINQ),
        ),
    );

    let (s6, d6) = (v6("fd77::1"), v6("fd77::2"));
    let ph6 = PseudoHeader::V6 { src: s6, dst: d6 };
    let udp = wrap(
        b"v6 datagram",
        UdpBuilder {
            repr: UdpRepr {
                src_port: 5353,
                dst_port: 5353,
            },
            pseudo: Some(ph6),
        },
    );
    let ip = Ipv6Repr {
        traffic_class: 0x20,
        flow_label: 0x12345,
        ..Ipv6Repr::new(s6, d6, IpProto::UDP, 64)
    };
    m.insert(
        "ipv6_udp",
        wrap(&wrap(&udp, ip.builder().unwrap()), eth(A, EtherType::IPV6)),
    );

    let echo_body = [&[0, 0x77, 0, 3][..], b"ping6"].concat();
    let echo = wrap(
        &echo_body,
        Icmpv6Builder {
            repr: Icmpv6Repr {
                msg_type: 128,
                code: 0,
            },
            pseudo: ph6,
        },
    );
    let ip = Ipv6Repr::new(s6, d6, IpProto::ICMPV6, 64);
    m.insert(
        "ipv6_echo",
        wrap(&wrap(&echo, ip.builder().unwrap()), eth(A, EtherType::IPV6)),
    );

    let group = v6("ff02::1:ff00:2");
    let mut ns_body = vec![0u8; 4];
    ns_body.extend_from_slice(&d6.0);
    ns_body.extend_from_slice(&[1, 1]);
    ns_body.extend_from_slice(&B.0);
    let ns = wrap(
        &ns_body,
        Icmpv6Builder {
            repr: Icmpv6Repr {
                msg_type: 135,
                code: 0,
            },
            pseudo: PseudoHeader::V6 {
                src: s6,
                dst: group,
            },
        },
    );
    let ip = Ipv6Repr::new(s6, group, IpProto::ICMPV6, 255);
    m.insert(
        "ipv6_ns",
        wrap(
            &wrap(&ns, ip.builder().unwrap()),
            eth(MacAddr::ipv6_multicast(group), EtherType::IPV6),
        ),
    );

    let arp = ArpRepr {
        operation: OP_REQUEST,
        sender_hardware_addr: B,
        sender_protocol_addr: s4,
        target_hardware_addr: MacAddr::UNSPECIFIED,
        target_protocol_addr: d4,
    };
    let frame = arp
        .into_serializer()
        .wrap_in(eth(MacAddr::BROADCAST, EtherType::ARP))
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap();
    m.insert("arp_request", frame.as_ref().to_vec());

    let icmp = wrap(b"abcdefgh", Icmpv4Repr::echo_request(0x4242, 9));
    let ip = Ipv4Repr {
        ident: 7,
        ..Ipv4Repr::new(s4, d4, IpProto::ICMP, 64)
    };
    m.insert(
        "icmp_echo",
        wrap(&wrap(&icmp, ip.builder().unwrap()), eth(A, EtherType::IPV4)),
    );

    let group4 = Ipv4Addr([224, 0, 0, 251]);
    let igmp = wrap(
        &[],
        IgmpRepr {
            msg_type: 0x16,
            max_resp: 0,
            word: group4.0,
        },
    );
    let ra = [0x94, 4, 0, 0];
    let ip = Ipv4Repr {
        options: &ra,
        dsfield: 0xc0,
        ..Ipv4Repr::new(s4, group4, IpProto::IGMP, 1)
    };
    m.insert(
        "igmpv2_report_router_alert",
        wrap(
            &wrap(&igmp, ip.builder().unwrap()),
            eth(MacAddr([1, 0, 0x5e, 0, 0, 0xfb]), EtherType::IPV4),
        ),
    );
    icmp_messages(&mut m);
    m
}

/// Writes a whole message from one of the message builders.
fn message(len: usize, emit: impl FnOnce(&mut [u8]) -> Result<usize, ParseError>) -> Vec<u8> {
    let mut out = vec![0u8; len];
    assert_eq!(emit(&mut out).unwrap(), len);
    out
}

/// NDP, MLD and IGMPv3 messages, each from its dedicated builder.
fn icmp_messages(m: &mut BTreeMap<&'static str, Vec<u8>>) {
    let ph = PseudoHeader::V6 {
        src: v6("fe80::1"),
        dst: v6("ff02::1"),
    };
    let ndp = |body: NdpBody, options: &[NdpOptionRepr<'_>]| {
        let b = NdpBuilder::new(body, options, ph).unwrap();
        message(b.len(), |out| b.emit(out))
    };
    let slla = NdpOptionRepr::SourceLinkLayer(B);
    let tlla = NdpOptionRepr::TargetLinkLayer(B);
    m.insert("msg_ndp_rs", ndp(NdpBody::router_solicitation(), &[slla]));
    let mut prefix = PrefixInformation::new_zeroed();
    prefix.prefix_len = 64;
    prefix.flags = 0xc0;
    prefix.valid_lifetime.set(86400);
    prefix.preferred_lifetime.set(14400);
    prefix.prefix = v6("fd77::");
    let dns = [v6("fd77::53"), v6("fd77::54")];
    let ra = NdpBody::router_advertisement(64, 0x48, 1800, 30000, 1000);
    let ra_options = [
        slla,
        NdpOptionRepr::Mtu(1500),
        NdpOptionRepr::PrefixInformation(prefix),
        NdpOptionRepr::Rdnss {
            lifetime: 600,
            servers: &dns,
        },
    ];
    m.insert("msg_ndp_ra", ndp(ra, &ra_options));
    let ns = NdpBody::neighbor_solicitation(v6("fd77::2"));
    m.insert("msg_ndp_ns", ndp(ns, &[slla]));
    let na = NdpBody::neighbor_advertisement(v6("fd77::2"), true, true, false);
    m.insert("msg_ndp_na", ndp(na, &[tlla]));
    // The redirected packet: IPv6 fd77::1 -> fd77::99, UDP 1 -> 2, no payload.
    let mut redirected = [0u8; 48];
    let udp_ph = PseudoHeader::V6 {
        src: v6("fd77::1"),
        dst: v6("fd77::99"),
    };
    UdpRepr {
        src_port: 1,
        dst_port: 2,
    }
    .emit(&mut redirected[40..], Some(udp_ph))
    .unwrap();
    Ipv6Repr::new(v6("fd77::1"), v6("fd77::99"), IpProto::UDP, 64)
        .emit(&mut redirected, 8)
        .unwrap();
    let redirect = NdpBody::redirect(v6("fe80::9"), v6("fd77::99"));
    let redirect_options = [tlla, NdpOptionRepr::RedirectedHeader(&redirected)];
    m.insert("msg_ndp_redirect", ndp(redirect, &redirect_options));

    let mld = |msg: MldMessage<'_>| {
        let b = MldBuilder::new(msg, ph).unwrap();
        message(b.len(), |out| b.emit(out))
    };
    let group = v6("ff02::fb");
    let general = MldV1::new(10000, Ipv6Addr::UNSPECIFIED);
    m.insert("msg_mldv1_query", mld(MldMessage::V1Query(general)));
    let v1 = MldV1::new(0, group);
    m.insert("msg_mldv1_report", mld(MldMessage::V1Report(v1)));
    m.insert("msg_mldv1_done", mld(MldMessage::Done(v1)));
    let sources = [v6("fd77::1"), v6("fd77::2")];
    m.insert(
        "msg_mldv2_query",
        mld(MldMessage::V2Query {
            query: MldV1::new(10000, group),
            s_qrv: 0x08 | 2,
            qqic: 125,
            sources: &sources,
        }),
    );
    let records = [
        MldV2RecordRepr {
            record_type: 4,
            group,
            sources: &[],
            aux: &[],
        },
        MldV2RecordRepr {
            record_type: 1,
            group: v6("ff05::1:3"),
            sources: &sources[..1],
            aux: &[],
        },
    ];
    m.insert(
        "msg_mldv2_report",
        mld(MldMessage::V2Report { records: &records }),
    );

    let igmp = |msg: IgmpV3Message<'_>| {
        let b = IgmpV3Builder::new(msg).unwrap();
        message(b.len(), |out| b.emit(out))
    };
    let src4 = [Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2])];
    m.insert(
        "msg_igmpv3_query",
        igmp(IgmpV3Message::Query {
            max_resp: 100,
            group: Ipv4Addr([232, 1, 1, 1]),
            s_qrv: 0x08 | 2,
            qqic: 125,
            sources: &src4[..1],
        }),
    );
    let records = [
        IgmpV3RecordRepr {
            record_type: 4,
            group: Ipv4Addr([239, 7, 7, 7]),
            sources: &[],
            aux: &[],
        },
        IgmpV3RecordRepr {
            record_type: 1,
            group: Ipv4Addr([232, 1, 1, 1]),
            sources: &src4,
            aux: &[],
        },
    ];
    m.insert(
        "msg_igmpv3_report",
        igmp(IgmpV3Message::Report { records: &records }),
    );
}

fn scapy_frames() -> Option<BTreeMap<String, Vec<u8>>> {
    let python = std::env::var("ZC_SCAPY_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scapy_oracle.py");
    let required = std::env::var("ZC_REQUIRE_ORACLES").as_deref() == Ok("1");
    let out = Command::new(&python).arg(script).output();
    match &out {
        Ok(o) if o.status.success() => {}
        Ok(o) if !required => {
            eprintln!(
                "skipping: {python} cannot run scapy: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            return None;
        }
        Err(e) if !required => {
            eprintln!("skipping: cannot run {python}: {e}");
            return None;
        }
        other => panic!("ZC_REQUIRE_ORACLES=1 but scapy via {python} failed: {other:?}"),
    }
    let text = String::from_utf8(out.unwrap().stdout).unwrap();
    let hex = |s: &str| {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    Some(
        text.lines()
            .map(|l| {
                let (name, h) = l.split_once(' ').unwrap();
                (name.to_string(), hex(h))
            })
            .collect(),
    )
}

#[test]
#[cfg_attr(miri, ignore)]
fn builders_match_scapy_byte_for_byte() {
    let Some(theirs) = scapy_frames() else { return };
    let ours = ours();
    assert_eq!(ours.len(), theirs.len(), "case lists differ");
    for (name, bytes) in &ours {
        let t = theirs
            .get(*name)
            .unwrap_or_else(|| panic!("scapy has no case {name}"));
        assert_eq!(bytes, t, "{name}: ours\n{bytes:02x?}\nscapy\n{t:02x?}");
    }
}
