//! Tuple impls (up to 12 elements, as zerocopy 0.8 has): validity is checked field by field at
//! the offsets rustc chose, zeroed and arbitrary bytes are accepted exactly when every field
//! accepts them, and `Immutable` follows the fields.

use core::mem::{offset_of, size_of};
use zerocast::{FromBytes, FromZeros, Immutable, KnownLayout, TryFromBytes};

fn assert_immutable<T: ?Sized + Immutable>() {}
fn assert_known_layout<T: ?Sized + KnownLayout>() {}

#[test]
fn bool_field_is_checked_at_its_real_offset() {
    type T = (u8, bool);
    let at = offset_of!(T, 1);
    for value in 0..=u8::MAX {
        let mut bytes = [0u8; size_of::<T>()];
        bytes[at] = value;
        let parsed = T::try_read_from_bytes(&bytes[..]);
        match value {
            0 | 1 => assert_eq!(parsed.ok(), Some((0, value == 1))),
            _ => assert!(parsed.is_err(), "byte {value} accepted as bool"),
        }
    }
}

#[test]
fn every_field_of_a_wide_tuple_is_checked() {
    type T = (
        bool,
        u8,
        bool,
        u16,
        bool,
        u32,
        bool,
        u8,
        bool,
        u8,
        bool,
        char,
    );
    let bool_offsets = [
        offset_of!(T, 0),
        offset_of!(T, 2),
        offset_of!(T, 4),
        offset_of!(T, 6),
        offset_of!(T, 8),
        offset_of!(T, 10),
    ];
    let zeroed = [0u8; size_of::<T>()];
    assert!(T::try_read_from_bytes(&zeroed[..]).is_ok());
    for at in bool_offsets {
        let mut bytes = zeroed;
        bytes[at] = 2;
        assert!(
            T::try_read_from_bytes(&bytes[..]).is_err(),
            "bool at {at} not checked"
        );
    }
    // An invalid `char` (a surrogate) in the last field is rejected too.
    let mut bytes = zeroed;
    let c = offset_of!(T, 11);
    bytes[c..c + 4].copy_from_slice(&0xD800u32.to_ne_bytes());
    assert!(T::try_read_from_bytes(&bytes[..]).is_err());
}

#[test]
fn zeroed_and_arbitrary_bytes() {
    let z = <(u32, [u8; 3], i16)>::new_zeroed();
    assert_eq!(z, (0, [0; 3], 0));
    let bytes = [0xA5u8; size_of::<(u16, u8)>()];
    let (a, b) = <(u16, u8)>::read_from_bytes(&bytes[..]).unwrap();
    assert_eq!((a, b), (0xA5A5, 0xA5));
    let ones = <(Option<core::num::NonZeroU8>,)>::new_zeroed();
    assert_eq!(ones, (None,));
}

#[test]
fn marker_traits_follow_the_fields() {
    assert_immutable::<(u8, u64, [u16; 4])>();
    assert_known_layout::<(u8, u64)>();
}
