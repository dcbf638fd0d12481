//! Software segmentation produces what a TSO device (the Linux kernel behind a TUN) puts on
//! the wire: every segment parses, its checksums verify, sequence numbers advance by the
//! payload, FIN/PSH are on the last segment only and CWR on the first only, IPv4
//! identifications count up, and the payloads put together are the original.

use alloc::vec::Vec;

use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
use zerocast_wire::ipv6::{Ipv6Packet, Ipv6Repr};
use zerocast_wire::tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_CWR, FLAG_FIN, FLAG_PSH};
use zerocast_wire::{IpProto, Ipv4Addr, Ipv6Addr, PseudoHeader};

use super::*;

const SRC4: Ipv4Addr = Ipv4Addr([10, 0, 0, 1]);
const DST4: Ipv4Addr = Ipv4Addr([10, 0, 0, 2]);

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// A GSO frame as the stack builds it: `link` bytes of link header, IP, TCP with
/// `options`, `data`; the checksum field holds the partial sum.
fn gso_frame(v6: bool, link: usize, flags: u16, options: &[u8], data: &[u8]) -> (Vec<u8>, GsoMeta) {
    let tcp_len = 20 + options.len() + data.len();
    let ip_len = if v6 { 40 } else { 20 };
    let mut f = alloc::vec![0u8; link + ip_len + tcp_len];
    let tcp = link + ip_len;
    f[tcp + 20 + options.len()..].copy_from_slice(data);
    let pseudo = if v6 {
        let (s, d) = (Ipv6Addr([0x20; 16]), Ipv6Addr([0x21; 16]));
        Ipv6Repr::new(s, d, IpProto::TCP, 64)
            .emit(&mut f[link..], tcp_len)
            .unwrap();
        PseudoHeader::V6 { src: s, dst: d }
    } else {
        let mut repr = Ipv4Repr::new(SRC4, DST4, IpProto::TCP, 64);
        repr.ident = 0xfffe;
        repr.emit(&mut f[link..], tcp_len).unwrap();
        PseudoHeader::V4 {
            src: SRC4,
            dst: DST4,
        }
    };
    let repr = TcpRepr {
        seq: 0xffff_f000,
        ack: 77,
        flags,
        window: 1000,
        options,
        ..TcpRepr::new(5000, 80)
    };
    repr.emit(&mut f[tcp..], None).unwrap();
    let partial = partial_checksum(pseudo, tcp_len);
    f[tcp + 16..tcp + 18].copy_from_slice(&partial.to_be_bytes());
    let meta = GsoMeta {
        kind: if v6 { GsoKind::TcpV6 } else { GsoKind::TcpV4 },
        segment_size: 1000,
        header_len: (tcp + 20 + options.len()) as u16,
        ip_start: link as u16,
        csum_start: tcp as u16,
        csum_offset: 16,
    };
    (f, meta)
}

fn segments(frame: &mut [u8], meta: &GsoMeta) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let n = segment_in_place(frame, meta, |s| out.push(s.to_vec())).unwrap();
    assert_eq!(n, out.len());
    out
}

#[test]
fn ipv4_segments_parse_with_valid_checksums_and_continuous_sequence_numbers() {
    let data = payload(3500);
    let flags = FLAG_ACK | FLAG_PSH | FLAG_FIN | FLAG_CWR;
    let (mut f, meta) = gso_frame(false, 0, flags, &[1, 1, 1, 1], &data);
    let segs = segments(&mut f, &meta);
    assert_eq!(segs.len(), 4, "3500 bytes at 1000");
    let mut joined = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        let ip = Ipv4Packet::parse(&s[..]).expect("IPv4 header and checksum valid");
        assert_eq!(usize::from(ip.total_len()), s.len());
        assert_eq!(
            ip.ident(),
            0xfffeu16.wrapping_add(i as u16),
            "idents count up and wrap"
        );
        let pseudo = PseudoHeader::V4 {
            src: SRC4,
            dst: DST4,
        };
        let tcp = TcpPacket::parse(ip.payload(), Some(pseudo)).expect("TCP checksum valid");
        assert_eq!(tcp.seq(), 0xffff_f000u32.wrapping_add(1000 * i as u32));
        let last = i == segs.len() - 1;
        assert_eq!(tcp.flags() & FLAG_FIN != 0, last, "FIN on the last only");
        assert_eq!(tcp.flags() & FLAG_PSH != 0, last, "PSH on the last only");
        assert_eq!(tcp.flags() & FLAG_CWR != 0, i == 0, "CWR on the first only");
        assert!(tcp.flags() & FLAG_ACK != 0);
        assert_eq!(tcp.payload().len(), if last { 500 } else { 1000 });
        joined.extend_from_slice(tcp.payload());
    }
    assert_eq!(joined, data);
}

#[test]
fn ipv6_segments_behind_ethernet_parse_with_valid_checksums() {
    let data = payload(2000);
    let (mut f, meta) = gso_frame(true, 14, FLAG_ACK | FLAG_PSH, &[], &data);
    f[..14].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x86, 0xdd]);
    let segs = segments(&mut f, &meta);
    assert_eq!(segs.len(), 2);
    let mut joined = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        assert_eq!(
            &s[..14],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x86, 0xdd]
        );
        let ip = Ipv6Packet::parse(&s[14..]).expect("IPv6 header");
        assert_eq!(usize::from(ip.payload_len()), s.len() - 14 - 40);
        let pseudo = PseudoHeader::V6 {
            src: Ipv6Addr([0x20; 16]),
            dst: Ipv6Addr([0x21; 16]),
        };
        let tcp = TcpPacket::parse(ip.payload(), Some(pseudo)).expect("TCP checksum valid");
        assert_eq!(tcp.flags() & FLAG_PSH != 0, i == 1);
        joined.extend_from_slice(tcp.payload());
    }
    assert_eq!(joined, data);
}

#[test]
fn a_frame_of_one_segment_or_less_is_sent_as_it_is_with_its_checksum_finished() {
    let data = payload(1000);
    let (mut f, meta) = gso_frame(false, 0, FLAG_ACK | FLAG_PSH, &[], &data);
    let segs = segments(&mut f, &meta);
    assert_eq!(segs.len(), 1);
    let ip = Ipv4Packet::parse(&segs[0][..]).unwrap();
    let pseudo = PseudoHeader::V4 {
        src: SRC4,
        dst: DST4,
    };
    let tcp = TcpPacket::parse(ip.payload(), Some(pseudo)).unwrap();
    assert_eq!(tcp.flags() & FLAG_PSH, FLAG_PSH);
    assert_eq!(tcp.payload(), &data[..]);
}

#[test]
fn meta_that_does_not_describe_the_frame_is_refused_and_emits_nothing() {
    let data = payload(3000);
    let (f, meta) = gso_frame(false, 0, FLAG_ACK, &[], &data);
    let bad = [
        GsoMeta {
            segment_size: 0,
            ..meta
        },
        GsoMeta {
            header_len: 4000,
            ..meta
        },
        GsoMeta {
            csum_start: 10,
            ..meta
        },
        GsoMeta {
            kind: GsoKind::TcpV6,
            ..meta
        },
        GsoMeta {
            csum_offset: 19,
            ..meta
        },
        GsoMeta {
            ip_start: 30,
            ..meta
        },
    ];
    for m in bad {
        let mut copy = f.clone();
        let mut emitted = 0;
        assert_eq!(
            segment_in_place(&mut copy, &m, |_| emitted += 1),
            Err(GsoError::BadMeta),
            "{m:?}"
        );
        assert_eq!(emitted, 0);
    }
}

#[test]
fn default_transmit_gso_hands_the_segments_to_transmit() {
    use crate::context::{DeviceId, DeviceTx};
    struct Wire(Vec<Vec<u8>>);
    impl DeviceTx for Wire {
        fn transmit(&mut self, _: DeviceId, frame: &[u8]) {
            self.0.push(frame.to_vec());
        }
    }
    let data = payload(2500);
    let (mut f, meta) = gso_frame(false, 0, FLAG_ACK, &[], &data);
    let mut wire = Wire(Vec::new());
    wire.transmit_gso(DeviceId(0), &mut f, &meta);
    assert_eq!(
        wire.0.iter().map(Vec::len).collect::<Vec<_>>(),
        [1040, 1040, 540]
    );
}
