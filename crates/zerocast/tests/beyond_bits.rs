//! Bit fields over byte-order integers: TCP data offset and flags, IPv4 version/IHL and
//! DSCP/ECN, the IPv6 version/traffic class/flow label word; getters against hand-written
//! masks, setters' range errors, and that the wrappers keep the integer's traits.

use proptest::prelude::*;
use zerocast::beyond::BitsOutOfRange;
use zerocast::byteorder::little_endian::U16 as U16Le;
use zerocast::byteorder::network_endian::{U16, U32};
#[allow(unused_imports)]
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
#[allow(unused_imports)]
use zerocast_derive::*;

/// TCP's data offset and control bits; public so that `missing_docs` checks the
/// generated accessors' docs.
#[derive(
    BitFields,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Debug,
    Default,
)]
#[zerocast(bits(
    data_offset = 12..16,
    reserved = 9..12,
    ns = 8,
    cwr = 7,
    ece = 6,
    urg = 5,
    ack = 4,
    psh = 3,
    rst = 2,
    syn = 1,
    fin = 0
))]
#[repr(transparent)]
pub struct TcpControl(U16);

#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(version = 4..8, ihl = 0..4))]
#[repr(transparent)]
struct VersionIhl(u8);

#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(dscp = 2..8, ecn = 0..2))]
#[repr(transparent)]
struct DscpEcn(u8);

#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(version = 28..32, traffic_class = 20..28, flow_label = 0..20))]
#[repr(transparent)]
struct Ipv6First(U32);

/// The same layout over a little-endian integer: bit numbers are value bits, not bytes.
#[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[zerocast(bits(high = 8..16, low = 0..8))]
#[repr(transparent)]
struct LeWord(U16Le);

/// The IPv4 header start, with bit-field members viewed in place.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct Ipv4Start {
    version_ihl: VersionIhl,
    dscp_ecn: DscpEcn,
    total_len: U16,
}

#[test]
fn tcp_flags_from_a_syn_ack() {
    // Data offset 5, SYN and ACK set.
    let c = TcpControl::read_from_bytes(&[0x50, 0x12]).unwrap();
    assert_eq!(c.data_offset(), 5);
    assert_eq!(c.reserved(), 0);
    assert!(c.syn() && c.ack());
    assert!(!c.fin() && !c.rst() && !c.psh() && !c.urg() && !c.ece() && !c.cwr() && !c.ns());
}

#[test]
fn tcp_setters_write_network_order_bytes() {
    let c = TcpControl::default()
        .with_data_offset(15)
        .unwrap()
        .with_fin(true)
        .with_ns(true);
    assert_eq!(c.as_bytes(), &[0xF1, 0x01]);
    let mut c = c;
    c.set_ns(false);
    c.set_reserved(0b101).unwrap();
    assert_eq!(c.as_bytes(), &[0xFA, 0x01]);
}

#[test]
fn setters_reject_values_wider_than_the_field() {
    let mut c = TcpControl::default();
    assert_eq!(
        c.set_data_offset(16),
        Err(BitsOutOfRange {
            field: "data_offset",
            width: 4
        })
    );
    assert_eq!(c, TcpControl::default());
    assert!(c.set_reserved(8).is_err());
    let mut v = Ipv6First(U32::ZERO);
    assert!(v.set_flow_label(1 << 20).is_err());
    assert!(v.set_flow_label((1 << 20) - 1).is_ok());
    assert!(v.with_traffic_class(256).is_err());
}

#[test]
fn ipv4_fields_in_place() {
    let mut bytes = [0x45, 0xB9, 0x00, 0x54];
    {
        let h = Ipv4Start::ref_from_bytes(&bytes).unwrap();
        assert_eq!((h.version_ihl.version(), h.version_ihl.ihl()), (4, 5));
        // DSCP 46 (expedited forwarding), ECN 1.
        assert_eq!((h.dscp_ecn.dscp(), h.dscp_ecn.ecn()), (46, 1));
        assert_eq!(h.total_len.get(), 84);
    }
    let h = Ipv4Start::mut_from_bytes(&mut bytes).unwrap();
    h.version_ihl.set_ihl(6).unwrap();
    h.dscp_ecn.set_ecn(3).unwrap();
    assert_eq!(bytes, [0x46, 0xBB, 0x00, 0x54]);
}

#[test]
fn ipv6_first_word() {
    let word = Ipv6First::read_from_bytes(&[0x6A, 0xB1, 0x23, 0x45]).unwrap();
    assert_eq!(word.version(), 6);
    assert_eq!(word.traffic_class(), 0xAB);
    assert_eq!(word.flow_label(), 0x12345);
}

#[test]
fn little_endian_storage_numbers_value_bits() {
    let w = LeWord::read_from_bytes(&[0x34, 0x12]).unwrap();
    assert_eq!((w.high(), w.low()), (0x12, 0x34));
}

#[test]
fn wrapper_keeps_the_integers_traits_and_layout() {
    fn needs_all<
        T: FromBytes + IntoBytes + KnownLayout + Immutable + Unaligned + Eq + core::hash::Hash,
    >() {
    }
    needs_all::<TcpControl>();
    assert_eq!(core::mem::size_of::<TcpControl>(), 2);
    assert_eq!(core::mem::align_of::<TcpControl>(), 1);
    let raw = U16::new(0x5012);
    let c = TcpControl::from(raw);
    assert_eq!(U16::from(c), raw);
    let cs = <[TcpControl]>::ref_from_bytes(&[0x50, 0x12, 0x80, 0x01][..]).unwrap();
    assert_eq!(
        (cs[0].data_offset(), cs[1].data_offset(), cs[1].fin()),
        (5, 8, true)
    );
}

proptest! {
    // Few cases under Miri, and no failure file (Miri isolates the file system).
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn getters_match_hand_written_masks(raw: u16, v6: u32) {
        let c = TcpControl(U16::new(raw));
        prop_assert_eq!(c.data_offset(), raw >> 12);
        prop_assert_eq!(c.reserved(), (raw >> 9) & 0b111);
        prop_assert_eq!(c.ns(), raw & 0x100 != 0);
        prop_assert_eq!(c.syn(), raw & 0x2 != 0);
        let w = Ipv6First(U32::new(v6));
        prop_assert_eq!(w.version(), v6 >> 28);
        prop_assert_eq!(w.traffic_class(), (v6 >> 20) & 0xFF);
        prop_assert_eq!(w.flow_label(), v6 & 0xF_FFFF);
    }

    #[test]
    fn setters_change_only_their_field(raw: u16, offset in 0u16..16, flag: bool) {
        let mut c = TcpControl(U16::new(raw));
        c.set_data_offset(offset).unwrap();
        c.set_ack(flag);
        prop_assert_eq!(c.data_offset(), offset);
        prop_assert_eq!(c.ack(), flag);
        let untouched = !0xF010u16;
        prop_assert_eq!(c.0.get() & untouched, raw & untouched);
    }
}
