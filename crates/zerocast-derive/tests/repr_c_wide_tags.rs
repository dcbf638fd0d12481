//! `repr(C)` fieldless enums whose discriminants do not fit C's `int`: rustc stores them in a
//! tag wider than or as wide as `int`, possibly unsigned, and `TryFromBytes` must accept exactly
//! the stored patterns of the enum's own variants (the audit's finding F3).
#![allow(missing_docs)]
// rustc warns that such discriminants do not fit into C `int`; the layout is what is tested.
#![allow(overflowing_literals, unknown_lints, repr_c_enums_larger_than_int)]
#![allow(clippy::enum_clike_unportable_variant)]

use zerocast::{Immutable, IntoBytes, KnownLayout, TryFromBytes};

/// Above `i32::MAX`, stored unsigned in a 4-byte tag.
#[derive(TryFromBytes, IntoBytes, KnownLayout, Immutable, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
enum HighU32 {
    A = 0x8000_0000,
    B = 0xFFFF_FFFF,
    C = 7,
}

/// Negative and above `u32::MAX`: an 8-byte tag.
#[derive(TryFromBytes, IntoBytes, KnownLayout, Immutable, Clone, Copy, Debug, PartialEq)]
#[repr(C)]
enum Wide {
    Neg = -1,
    Big = 0x1_0000_0000,
    Zero = 0,
}

/// Accepts exactly the byte patterns the variants themselves produce, for every probe value.
fn accepts_exactly<E>(variants: &[E], probes: &[u64])
where
    E: TryFromBytes + IntoBytes + Immutable + KnownLayout + Copy + PartialEq + core::fmt::Debug,
{
    for v in variants {
        assert_eq!(
            E::try_read_from_bytes(v.as_bytes()),
            Ok(*v),
            "{v:?} round trip"
        );
    }
    let size = core::mem::size_of::<E>();
    for &p in probes {
        let bytes = &p.to_ne_bytes()[..size];
        #[cfg(target_endian = "big")]
        let bytes = &p.to_ne_bytes()[8 - size..];
        let own = variants.iter().find(|v| v.as_bytes() == bytes);
        match (E::try_read_from_bytes(bytes), own) {
            (Ok(got), Some(v)) => assert_eq!(got, *v),
            (Err(_), None) => {}
            (got, own) => panic!("pattern {p:#x}: got {got:?}, variant {own:?}"),
        }
    }
}

#[test]
fn repr_c_tag_above_i32_max_is_read_unsigned() {
    assert_eq!(core::mem::size_of::<HighU32>(), 4);
    let probes = [
        0,
        6,
        7,
        8,
        0x7FFF_FFFF,
        0x8000_0000,
        0x8000_0001,
        0xFFFF_FFFE,
        0xFFFF_FFFF,
    ];
    accepts_exactly(&[HighU32::A, HighU32::B, HighU32::C], &probes);
}

#[test]
fn repr_c_tag_wider_than_u32_keeps_negative_and_large_values() {
    assert_eq!(core::mem::size_of::<Wide>(), 8);
    let probes = [
        0,
        1,
        0xFFFF_FFFF,
        0x1_0000_0000,
        0x1_0000_0001,
        u64::MAX,
        u64::MAX - 1,
    ];
    accepts_exactly(&[Wide::Neg, Wide::Big, Wide::Zero], &probes);
}
