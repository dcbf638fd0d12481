//! IPv6 jumbograms (RFC 2675): the Jumbo Payload option parsed and built, Payload Length 0
//! meaning the jumbo length, section 3's errors as typed errors that carry the ICMPv6
//! Parameter Problem to send, and UDP (Length 0, section 4) and TCP over jumbograms.

use zerocast_packet::{Buf, Serializer};
use zerocast_wire::ipv6::{Ipv6Packet, Ipv6Repr, HEADER_LEN};
use zerocast_wire::ipv6_ext::{write_fragment_header, write_jumbo_hop_by_hop, FragmentHeader};
use zerocast_wire::tcp::{TcpPacket, TcpRepr};
use zerocast_wire::udp::{UdpBuilder, UdpPacket, UdpRepr};
use zerocast_wire::{
    ChecksumStatus, ErrorKind, IcmpReply, IpProto, Ipv6Addr, Lenient, ParseOptions, PseudoHeader,
};

const PAYLOAD: usize = 70_000;

fn addr(last: u8) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a[0] = 0xfd;
    a[15] = last;
    Ipv6Addr(a)
}

fn pseudo() -> PseudoHeader {
    PseudoHeader::V6 {
        src: addr(1),
        dst: addr(2),
    }
}

/// An IPv6 jumbogram carrying a UDP datagram of `PAYLOAD` bytes, built by the serializer.
fn udp_jumbogram() -> Vec<u8> {
    let mut hbh = [0u8; 8];
    write_jumbo_hop_by_hop(&mut hbh, IpProto::UDP, 0).unwrap();
    let ip = Ipv6Repr {
        extensions: &hbh,
        ..Ipv6Repr::new(addr(1), addr(2), IpProto::HOP_BY_HOP, 64)
    };
    let body: Vec<u8> = (0..PAYLOAD - 8).map(|i| i as u8).collect();
    let udp = UdpBuilder {
        repr: UdpRepr {
            src_port: 4000,
            dst_port: 5000,
        },
        pseudo: Some(pseudo()),
    };
    Buf::new(body, ..)
        .wrap_in(udp)
        .wrap_in(ip.builder().unwrap())
        .serialize_vec_outer()
        .map_err(|_| ())
        .unwrap()
        .as_ref()
        .to_vec()
}

#[test]
#[cfg_attr(miri, ignore)] // 70 kB checksums are slow under Miri
fn udp_jumbogram_builds_and_parses_back_strictly() {
    let b = udp_jumbogram();
    assert_eq!(b.len(), HEADER_LEN + 8 + PAYLOAD);
    let ip = Ipv6Packet::parse(&b[..]).unwrap();
    assert_eq!(ip.payload_len(), 0);
    assert_eq!(ip.jumbo_payload_len(), Some((8 + PAYLOAD) as u32));
    assert_eq!(ip.upper_protocol(), IpProto::UDP);
    let udp = UdpPacket::parse(ip.payload(), Some(ip.pseudo_header())).unwrap();
    assert!(udp.is_jumbogram());
    assert_eq!((udp.length(), udp.payload().len()), (0, PAYLOAD - 8));
    assert_eq!(udp.checksum_status(), ChecksumStatus::Good);
    // The header re-emits byte for byte from its parsed values.
    let mut out = vec![0u8; HEADER_LEN + 8];
    ip.repr().emit(&mut out, ip.payload().len()).unwrap();
    assert_eq!(out, b[..HEADER_LEN + 8]);
}

#[test]
#[cfg_attr(miri, ignore)]
fn tcp_segment_over_a_jumbogram_checksums_with_the_32_bit_length() {
    let mut hbh = [0u8; 8];
    write_jumbo_hop_by_hop(&mut hbh, IpProto::TCP, 0).unwrap();
    let ip = Ipv6Repr {
        extensions: &hbh,
        ..Ipv6Repr::new(addr(1), addr(2), IpProto::HOP_BY_HOP, 64)
    };
    let mut b = vec![0u8; HEADER_LEN + 8 + PAYLOAD];
    let tcp = TcpRepr {
        seq: 7,
        ..TcpRepr::new(1, 2)
    };
    tcp.emit(&mut b[HEADER_LEN + 8..], Some(pseudo())).unwrap();
    ip.emit(&mut b, PAYLOAD).unwrap();
    let ip = Ipv6Packet::parse(&b[..]).unwrap();
    let seg = TcpPacket::parse(ip.payload(), Some(ip.pseudo_header())).unwrap();
    assert_eq!((seg.seq(), seg.payload().len()), (7, PAYLOAD - 20));
    assert_eq!(seg.checksum_status(), ChecksumStatus::Good);
}

/// A jumbogram header (fixed header and Hop-by-Hop with the option) over `extra` bytes.
fn header_only(jumbo_len: u32, payload_len: u16, extra: usize) -> Vec<u8> {
    let mut b = vec![0u8; HEADER_LEN + 8 + extra];
    b[0] = 0x60;
    b[4..6].copy_from_slice(&payload_len.to_be_bytes());
    b[6] = IpProto::HOP_BY_HOP.0;
    b[7] = 64;
    write_jumbo_hop_by_hop(&mut b[HEADER_LEN..], IpProto::NO_NEXT_HEADER, jumbo_len).unwrap();
    b
}

fn parameter_problem(b: &[u8]) -> (ErrorKind, Option<IcmpReply>) {
    let e = Ipv6Packet::parse(b).unwrap_err();
    (e.kind(), e.icmp_reply())
}

#[test]
fn nonzero_payload_length_with_the_option_points_at_the_option_type() {
    let b = header_only(70_000, 8, 0);
    assert_eq!(
        parameter_problem(&b),
        (
            ErrorKind::BadLength(8),
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 0,
                pointer: 42
            })
        )
    );
}

#[test]
fn jumbo_length_below_65536_points_at_the_length() {
    let b = header_only(65_535, 0, 0);
    assert_eq!(
        parameter_problem(&b),
        (
            ErrorKind::BadLength(65_535),
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 0,
                pointer: 44
            })
        )
    );
}

#[test]
fn zero_payload_length_with_hop_by_hop_but_no_option_points_at_payload_length() {
    let mut b = vec![0u8; HEADER_LEN + 8];
    b[0] = 0x60;
    b[6] = IpProto::HOP_BY_HOP.0;
    b[HEADER_LEN..].copy_from_slice(&[59, 0, 1, 4, 0, 0, 0, 0]); // PadN only
    assert_eq!(
        parameter_problem(&b),
        (
            ErrorKind::BadLength(0),
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 0,
                pointer: 4
            })
        )
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn fragment_header_in_a_jumbogram_points_at_the_fragment_header() {
    let mut b = header_only(70_000, 0, 70_000 - 8);
    b[HEADER_LEN] = IpProto::FRAGMENT.0;
    let frag = FragmentHeader {
        offset: 0,
        more: true,
        ident: 1,
    };
    write_fragment_header(&mut b[HEADER_LEN + 8..], IpProto::NO_NEXT_HEADER, frag).unwrap();
    assert_eq!(
        parameter_problem(&b),
        (
            ErrorKind::BadField,
            Some(IcmpReply::Ipv6ParameterProblem {
                code: 0,
                pointer: 48
            })
        )
    );
}

#[test]
fn a_captured_jumbogram_cut_short_parses_leniently_as_truncated() {
    let b = header_only(70_000, 0, 100);
    assert!(matches!(
        Ipv6Packet::parse(&b[..]).unwrap_err().kind(),
        ErrorKind::Truncated { .. }
    ));
    let Ok(Lenient::Whole(ip)) = Ipv6Packet::parse_lenient(&b[..]) else {
        panic!("whole fixed header expected");
    };
    assert!(ip.is_truncated());
    assert_eq!(
        (ip.jumbo_payload_len(), ip.payload().len()),
        (Some(70_000), 100)
    );
    let opts = ip.payload_parse_options(ParseOptions::LENIENT);
    assert_eq!(opts.checksum, zerocast_wire::ChecksumPolicy::Skip);
}

#[test]
fn udp_length_zero_is_a_jumbo_datagram_only_over_ipv6_and_only_beyond_65535_bytes() {
    let d = [0u8, 1, 0, 2, 0, 0, 0, 0, 0xaa];
    assert!(UdpPacket::parse(&d[..], Some(pseudo())).is_err());
    let v4 = PseudoHeader::V4 {
        src: zerocast_wire::Ipv4Addr([10, 0, 0, 1]),
        dst: zerocast_wire::Ipv4Addr([10, 0, 0, 2]),
    };
    assert!(UdpPacket::parse_with(&d[..], Some(v4), ParseOptions::LENIENT).is_err());
    // Leniently (a capture cut the jumbogram), the rest of the bytes are its payload.
    let cut = UdpPacket::parse_with(&d[..], Some(pseudo()), ParseOptions::LENIENT).unwrap();
    assert!(cut.is_jumbogram() && cut.is_truncated());
    assert_eq!(cut.checksum_status(), ChecksumStatus::Unverified);
    // Building: over IPv4 a datagram beyond 65535 bytes has no encoding.
    let mut big = vec![0u8; PAYLOAD];
    let repr = UdpRepr {
        src_port: 1,
        dst_port: 2,
    };
    assert!(repr.emit(&mut big, Some(v4)).is_err());
    assert!(repr.emit(&mut big, Some(pseudo())).is_ok());
    assert_eq!(&big[4..6], &[0, 0]);
}

#[test]
fn jumbo_option_on_a_small_payload_is_a_build_error() {
    let mut hbh = [0u8; 8];
    write_jumbo_hop_by_hop(&mut hbh, IpProto::UDP, 0).unwrap();
    let ip = Ipv6Repr {
        extensions: &hbh,
        ..Ipv6Repr::new(addr(1), addr(2), IpProto::HOP_BY_HOP, 64)
    };
    assert!(matches!(
        ip.emit(&mut [0u8; 100], 52).unwrap_err().kind(),
        ErrorKind::BadLength(60)
    ));
}
