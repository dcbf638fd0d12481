//! The derive and the core's layout model together: slice DSTs (including the nested
//! `packed`/`align` shapes of zerocopy advisory #3617) must size exactly as rustc does, and
//! conversions on derived types must behave like on primitives.

use zerocast::{ConvertError, FromBytes, FromZeros, IntoBytes, KnownLayout, TryFromBytes};
// The derives by path, so the test builds with and without the `derive` feature.
use zerocast_derive as d;

#[derive(d::FromBytes, d::KnownLayout, d::Immutable)]
#[repr(C)]
struct Inner {
    a: u64,
    tail: [u8],
}

#[derive(d::FromBytes, d::KnownLayout, d::Immutable)]
#[repr(C, packed)]
struct Packed1 {
    b: u8,
    inner: Inner,
}

#[derive(d::FromBytes, d::KnownLayout, d::Immutable)]
#[repr(C, align(16))]
struct Align16 {
    c: u8,
    p: Packed1,
}

#[derive(d::FromBytes, d::KnownLayout, d::Immutable)]
#[repr(C, packed(2))]
struct Packed2 {
    b: u8,
    inner: Inner,
}

#[repr(C, align(16))]
struct Buf([u8; 256]);

/// `size_of_val` of a real `T` with `n` trailing elements, made from `make` over a buffer
/// big and aligned enough.
fn real_size<T: ?Sized + FromBytes + KnownLayout<PointerMetadata = usize> + zerocast::Immutable>(
    n: usize,
) -> Option<usize> {
    let buf = Buf([0; 256]);
    let size = T::size_for_metadata(n)?;
    let t = T::ref_from_prefix_with_elems(&buf.0[..], n).ok()?.0;
    assert_eq!(core::mem::size_of_val(t), size, "n = {n}");
    Some(size)
}

#[test]
fn nested_packed_and_aligned_dsts_size_like_rustc() {
    for n in 0..40 {
        real_size::<Inner>(n).unwrap();
        real_size::<Packed1>(n).unwrap();
        real_size::<Align16>(n).unwrap();
        real_size::<Packed2>(n).unwrap();
    }
    // The value the collapsed formula of the advisory gets wrong (it says 16).
    assert_eq!(Align16::size_for_metadata(1), Some(32));
}

#[test]
fn derived_dst_takes_the_most_elements_that_fit() {
    let buf = Buf([7; 256]);
    let (a, rest) = Align16::ref_from_prefix(&buf.0[..40]).unwrap();
    assert_eq!(core::mem::size_of_val(a), 32);
    // 2 + round_up(8 + n, 8) <= 32 gives n = 16.
    assert_eq!(a.p.inner.tail.len(), 16);
    assert_eq!(rest.len(), 8);
    assert!(matches!(
        Align16::ref_from_bytes(&buf.0[..40]),
        Err(ConvertError::Size(_))
    ));
    assert!(matches!(
        Align16::ref_from_bytes(&buf.0[8..40]),
        Err(ConvertError::Alignment(_))
    ));
}

#[derive(d::KnownLayout, d::Immutable, d::IntoBytes, d::FromZeros)]
#[repr(u8)]
#[allow(dead_code)] // variants are made from bytes, never by name
enum Kind {
    Zero = 0,
    Two = 2,
}

#[derive(d::TryFromBytes, d::KnownLayout, d::Immutable, d::IntoBytes)]
#[repr(C)]
struct Tagged {
    kind: Kind,
    flag: bool,
    rest: [u8; 2],
}

#[test]
fn derived_try_from_bytes_checks_fields() {
    let ok = Tagged::try_ref_from_bytes(&[2, 1, 9, 9][..]).unwrap();
    assert!(matches!(ok.kind, Kind::Two));
    assert!(ok.flag);
    assert!(matches!(
        Tagged::try_read_from_bytes(&[1, 1, 0, 0][..]),
        Err(ConvertError::Validity(_))
    ));
    assert!(matches!(
        Tagged::try_read_from_bytes(&[0, 3, 0, 0][..]),
        Err(ConvertError::Validity(_))
    ));
    assert!(matches!(Kind::new_zeroed(), Kind::Zero));
    assert_eq!(
        Tagged::try_read_from_bytes(&[2, 0, 5, 6][..])
            .unwrap()
            .as_bytes(),
        &[2, 0, 5, 6]
    );
}

/// Fields of a packed struct are checked where they are, misaligned: `Maybe` promises no
/// alignment and primitive checks read unaligned (Miri checks this test too).
#[derive(d::TryFromBytes, d::KnownLayout, d::Immutable, d::IntoBytes)]
#[repr(C, packed)]
struct PackedChecks {
    tag: u8,
    letter: char,
    flags: [bool; 2],
}

#[test]
fn packed_fields_are_validated_at_unaligned_offsets() {
    let mut bytes = [0u8; 7];
    bytes[1..5].copy_from_slice(&u32::from('é').to_ne_bytes());
    bytes[5] = 1;
    let ok = PackedChecks::try_ref_from_bytes(&bytes[..]).unwrap();
    assert_eq!({ ok.letter }, 'é');
    assert_eq!({ ok.flags }, [true, false]);
    let mut bad = bytes;
    bad[1..5].copy_from_slice(&0xD800u32.to_ne_bytes());
    assert!(matches!(
        PackedChecks::try_read_from_bytes(&bad[..]),
        Err(ConvertError::Validity(_))
    ));
    let mut bad = bytes;
    bad[6] = 2;
    assert!(matches!(
        PackedChecks::try_ref_from_bytes(&bad[..]),
        Err(ConvertError::Validity(_))
    ));
    let mut buf = bytes;
    let m = PackedChecks::try_mut_from_bytes(&mut buf[..]).unwrap();
    m.flags = [false, true];
    assert_eq!(&buf[5..], &[0, 1]);
    let _ = ok.tag;
}
