//! Property tests for the reassemblers: any payload cut into 8-byte-aligned fragments and
//! delivered in any order reassembles to the original packet; memory never exceeds the budget.
#![cfg(feature = "alloc")]

use proptest::prelude::*;
use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
use zerocast_wire::ipv6::{Ipv6Packet, Ipv6Repr};
use zerocast_wire::ipv6_ext::{write_fragment_header, FragmentHeader};
use zerocast_wire::reassembly::{Ipv4Reassembler, Ipv6Reassembler, Reassembled, ReassemblyLimits};
use zerocast_wire::{IpProto, Ipv4Addr, Ipv6Addr};

/// Cut points (in 8-byte units) turned into (offset, len) pieces covering `len` bytes.
fn pieces(len: usize, cuts: &[usize]) -> Vec<(usize, usize)> {
    let units = len.div_ceil(8);
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| c % units.max(1) * 8)
        .filter(|&p| p > 0)
        .collect();
    points.push(0);
    points.push(len);
    points.sort_unstable();
    points.dedup();
    points.windows(2).map(|w| (w[0], w[1] - w[0])).collect()
}

fn v4_fragment(payload: &[u8], off: usize, len: usize, ident: u16) -> Vec<u8> {
    let more = off + len < payload.len();
    let repr = Ipv4Repr {
        ident,
        flags: u8::from(more),
        fragment_offset: (off / 8) as u16,
        ..Ipv4Repr::new(
            Ipv4Addr([10, 0, 0, 1]),
            Ipv4Addr([10, 0, 0, 2]),
            IpProto::UDP,
            64,
        )
    };
    let mut b = vec![0u8; 20 + len];
    repr.emit(&mut b, len).unwrap();
    b[20..].copy_from_slice(&payload[off..off + len]);
    b
}

fn v6_fragment(payload: &[u8], off: usize, len: usize, ident: u32) -> Vec<u8> {
    let mut ext = [0u8; 8];
    let frag = FragmentHeader {
        offset: (off / 8) as u16,
        more: off + len < payload.len(),
        ident,
    };
    write_fragment_header(&mut ext, IpProto::UDP, frag).unwrap();
    let repr = Ipv6Repr {
        extensions: &ext,
        ..Ipv6Repr::new(
            Ipv6Addr::UNSPECIFIED,
            Ipv6Addr::UNSPECIFIED,
            IpProto::FRAGMENT,
            64,
        )
    };
    let mut b = vec![0u8; 48 + len];
    repr.emit(&mut b, len).unwrap();
    b[48..].copy_from_slice(&payload[off..off + len]);
    b
}

proptest! {
    // Under Miri: few cases, and no failure file (Miri isolates the file system).
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 128 },
        failure_persistence: if cfg!(miri) { None } else { ProptestConfig::default().failure_persistence },
        ..ProptestConfig::default()
    })]

    #[test]
    fn ipv4_fragments_in_any_order_reassemble(
        payload in proptest::collection::vec(any::<u8>(), 1..3000),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
        order in any::<u64>(),
    ) {
        let mut parts = pieces(payload.len(), &cuts);
        // A deterministic shuffle from `order`.
        let n = parts.len();
        for i in 0..n {
            parts.swap(i, (order as usize).wrapping_add(i * 7919) % n);
        }
        let mut r = Ipv4Reassembler::new(ReassemblyLimits::default());
        let mut done = None;
        for (off, len) in parts {
            let frag = v4_fragment(&payload, off, len, 77);
            match r.insert(&Ipv4Packet::parse(&frag[..]).unwrap(), 0).unwrap() {
                Reassembled::Complete(whole) => done = Some(whole),
                Reassembled::Pending => prop_assert!(done.is_none()),
            }
        }
        let whole = done.expect("complete after the last fragment");
        let ip = Ipv4Packet::parse(&whole[..]).unwrap();
        prop_assert_eq!(ip.payload(), &payload[..]);
        prop_assert!(!ip.is_fragment());
        prop_assert_eq!(r.buffered_bytes(), 0);
    }

    #[test]
    fn ipv6_fragments_in_any_order_reassemble(
        payload in proptest::collection::vec(any::<u8>(), 1..3000),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
        order in any::<u64>(),
    ) {
        let mut parts = pieces(payload.len(), &cuts);
        let n = parts.len();
        for i in 0..n {
            parts.swap(i, (order as usize).wrapping_add(i * 7919) % n);
        }
        let mut r = Ipv6Reassembler::new(ReassemblyLimits::default());
        let mut done = None;
        for (off, len) in parts {
            let frag = v6_fragment(&payload, off, len, 0xfeed);
            if let Reassembled::Complete(whole) = r.insert(&Ipv6Packet::parse(&frag[..]).unwrap(), 0).unwrap() {
                done = Some(whole);
            }
        }
        let whole = done.expect("complete after the last fragment");
        let ip = Ipv6Packet::parse(&whole[..]).unwrap();
        prop_assert_eq!(ip.payload(), &payload[..]);
        prop_assert_eq!(ip.upper_protocol(), IpProto::UDP);
        // An atomic fragment (a single piece) comes back as is, Fragment header included (RFC 6946).
        prop_assert!(!ip.is_fragment());
    }

    #[test]
    fn arbitrary_fragment_streams_stay_within_the_memory_budget(
        frags in proptest::collection::vec((any::<u16>(), 0u16..200, any::<bool>(), 1usize..200), 1..100),
    ) {
        let limits = ReassemblyLimits { max_bytes: 4096, max_packets: 8, timeout: 5 };
        let mut r = Ipv4Reassembler::new(limits);
        let data = [0x11u8; 200];
        for (t, (ident, off, more, len)) in frags.into_iter().enumerate() {
            let len = if more { len / 8 * 8 + 8 } else { len };
            let repr = Ipv4Repr {
                ident: ident % 16,
                flags: u8::from(more),
                fragment_offset: off,
                ..Ipv4Repr::new(Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]), IpProto::UDP, 64)
            };
            let len = len.min(200);
            let mut b = vec![0u8; 20 + len];
            repr.emit(&mut b, len).unwrap();
            b[20..].copy_from_slice(&data[..len]);
            let _ = r.insert(&Ipv4Packet::parse(&b[..]).unwrap(), t as u64);
            prop_assert!(r.buffered_bytes() <= limits.max_bytes);
            prop_assert!(r.pending() <= limits.max_packets);
            r.expire(t as u64);
        }
    }
}
