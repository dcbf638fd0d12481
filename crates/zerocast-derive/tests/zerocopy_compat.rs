//! Two derive shapes that zerocopy 0.8 accepts and zerocast once did not
//! (found by `compat/zerocopy-docs`):
//!
//! - a struct whose last field is a generic `B: ?Sized`, instantiated both
//!   unsized (`Packet<[u8]>`) and sized (`Packet<[u8; 3]>`);
//! - `SplitAt` on a `repr(packed)` struct, whose trailing elements may be
//!   misaligned and are therefore exposed as `Unalign<Elem>`.
//!
//! These run under Miri (`cargo +nightly miri test -p zerocast-derive
//! --test zerocopy_compat`), which checks the misaligned accesses.

#![allow(dead_code)]

use zerocast::{
    FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt, TryFromBytes, Unalign,
};

// --- generic `?Sized` last field -------------------------------------------

#[derive(SplitAt, FromBytes, KnownLayout, IntoBytes, Immutable)]
#[repr(C)]
struct Packet<B: ?Sized> {
    length: u8,
    body: B,
}

#[test]
fn unsized_instantiation_reads_splits_and_writes() {
    let mut bytes = [4u8, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    let packet = Packet::<[u8]>::mut_from_bytes(&mut bytes[..]).unwrap();
    assert_eq!(
        (packet.length, &packet.body[..]),
        (4, &[1, 2, 3, 4, 5, 6, 7, 8, 9][..])
    );
    let len = usize::from(packet.length);
    let (head, rest) = packet.split_at_mut(len).unwrap().via_into_bytes();
    assert_eq!(
        (&head.body[..], &rest[..]),
        (&[1u8, 2, 3, 4][..], &[5u8, 6, 7, 8, 9][..])
    );
    rest.fill(0);
    head.body[0] = 10;
    assert_eq!(bytes, [4, 10, 2, 3, 4, 0, 0, 0, 0, 0]);
}

#[test]
fn sized_instantiation_still_works() {
    let p = Packet::<[u8; 3]>::read_from_bytes(&[7, 1, 2, 3][..]).unwrap();
    assert_eq!((p.length, p.body), (7, [1, 2, 3]));
    // A sized body that is not `[T]`: the added bound `u8: KnownLayout` holds.
    let z = Packet::<u8>::new_zeroed();
    assert_eq!(z.as_bytes(), &[0, 0]);
    assert!(Packet::<[u8; 3]>::read_from_bytes(&[7, 1, 2][..]).is_err());
}

/// `?Sized` declared in a where clause, with a validity check per field.
#[derive(TryFromBytes, KnownLayout, Immutable)]
#[repr(C)]
struct Checked<B>
where
    B: ?Sized,
{
    flag: bool,
    body: B,
}

#[test]
fn try_from_bytes_checks_the_unsized_tail() {
    let c = Checked::<[bool]>::try_ref_from_bytes(&[1u8, 0, 1][..]).unwrap();
    assert_eq!((c.flag, &c.body[..]), (true, &[false, true][..]));
    // Invalid in the header, then in the tail.
    assert!(Checked::<[bool]>::try_ref_from_bytes(&[2u8, 0, 1][..]).is_err());
    assert!(Checked::<[bool]>::try_ref_from_bytes(&[1u8, 0, 2][..]).is_err());
    let s = Checked::<bool>::try_read_from_bytes(&[0u8, 1][..]).unwrap();
    assert_eq!((s.flag, s.body), (false, true));
    assert!(Checked::<bool>::try_read_from_bytes(&[0u8, 3][..]).is_err());
}

/// The last field only mentions the parameter (`Packet<B>`).
#[derive(FromZeros, KnownLayout, Immutable)]
#[repr(C)]
struct Outer<B: ?Sized> {
    tag: u16,
    inner: Packet<B>,
}

#[test]
fn nested_generic_tail_is_zeroed_and_sized_from_its_count() {
    let o = Outer::<[u8]>::new_box_zeroed_with_elems(3).unwrap();
    assert_eq!(
        (o.tag, o.inner.length, &o.inner.body[..]),
        (0, 0, &[0u8; 3][..])
    );
    // 2 (tag) + 1 (length) + 3, padded to the alignment of 2.
    assert_eq!(core::mem::size_of_val(&*o), 6);
}

/// A sized generic last field gets no `KnownLayout` bound: `NotKnown` is
/// only `TryFromBytes`.
#[derive(TryFromBytes)]
#[repr(C)]
struct NotKnown(bool);

#[derive(TryFromBytes, Immutable)]
#[repr(C)]
struct SizedTail<T> {
    a: u8,
    t: T,
}

#[test]
fn sized_generic_tail_needs_no_known_layout() {
    fn try_from_bytes<T: TryFromBytes>() {}
    try_from_bytes::<SizedTail<NotKnown>>();
    let s = SizedTail::<bool>::try_read_from_bytes(&[9u8, 1][..]).unwrap();
    assert_eq!((s.a, s.t), (9, true));
    assert!(SizedTail::<bool>::try_read_from_bytes(&[9u8, 2][..]).is_err());
}

// --- SplitAt on repr(packed) -----------------------------------------------

fn elem_is<T: ?Sized + SplitAt<Elem = E>, E>() {}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C, packed)]
struct PackedWords {
    tag: u8,
    words: [u16],
}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C, packed(2))]
struct Packed2Words {
    tag: u16,
    words: [u32],
}

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C)]
struct AlignedWords {
    tag: u16,
    words: [u16],
}

#[test]
fn packed_structs_expose_unaligned_elements() {
    elem_is::<PackedWords, Unalign<u16>>();
    elem_is::<Packed2Words, Unalign<u32>>();
    elem_is::<AlignedWords, u16>();
}

/// Bytes at an address aligned to 4, so that `PackedWords::words` (offset
/// 1) is misaligned for `u16` and `Packed2Words::words` (offset 2) for `u32`.
#[repr(C, align(4))]
struct Aligned<const N: usize>([u8; N]);

#[test]
fn packed_split_reads_and_writes_misaligned_elements() {
    let mut buf = Aligned([9, 1, 0, 2, 0, 3, 0]);
    let p = PackedWords::mut_from_bytes(&mut buf.0[..]).unwrap();
    assert_eq!(p.tag, 9);
    let (head, rest) = p.split_at_mut(1).unwrap().via_into_bytes();
    assert_eq!(rest.len(), 2);
    let rest_at = rest.as_ptr() as usize;
    assert_eq!(rest_at % 2, 1, "the right half starts at an odd address");
    let read: Vec<u16> = rest.iter().map(|w| w.get()).collect();
    assert_eq!(
        read,
        [u16::from_ne_bytes([2, 0]), u16::from_ne_bytes([3, 0])]
    );
    rest[1].set(u16::from_ne_bytes([0xaa, 0xbb]));
    // The left half keeps one word: 1 + 2 bytes (its `words` cannot be borrowed).
    assert_eq!(core::mem::size_of_val(head), 3);
    assert_eq!(buf.0, [9, 1, 0, 2, 0, 0xaa, 0xbb]);

    let p = PackedWords::ref_from_bytes(&buf.0[..]).unwrap();
    let (head, rest) = p.split_at(0).unwrap().via_immutable();
    assert_eq!((core::mem::size_of_val(head), rest.len()), (1, 3));
    assert_eq!(rest[0].get(), u16::from_ne_bytes([1, 0]));
    assert!(p.split_at(4).is_none());
}

#[test]
fn packed2_split_keeps_element_offsets() {
    // tag (2 bytes), then u32 words at offset 2: aligned to 2, not to 4.
    let bytes = Aligned([0u8, 0, 1, 0, 0, 0, 2, 0, 0, 0]);
    let p = Packed2Words::ref_from_bytes(&bytes.0[..]).unwrap();
    let (_, rest) = p.split_at(1).unwrap().via_immutable();
    assert_eq!(rest.len(), 1);
    assert_eq!(
        rest.as_ptr() as usize % 4,
        2,
        "the right half is misaligned for u32"
    );
    assert_eq!(rest[0].get(), u32::from_ne_bytes([2, 0, 0, 0]));
}

/// A validator on a struct with a generic `?Sized` last field.
#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate = len_is_body_len)]
#[repr(C)]
struct Validated<B: ?Sized> {
    len: u8,
    body: B,
}

fn len_is_body_len<B: ?Sized>(v: &Validated<B>) -> Result<(), &'static str> {
    let body = core::mem::size_of_val(&v.body);
    if usize::from(v.len) == body {
        Ok(())
    } else {
        Err("len is not the body's size")
    }
}

#[test]
fn validator_sees_the_unsized_tail() {
    let v = Validated::<[u8]>::try_ref_from_bytes(&[2u8, 7, 8][..]).unwrap();
    assert_eq!(&v.body[..], &[7, 8]);
    assert!(Validated::<[u8]>::try_ref_from_bytes(&[3u8, 7, 8][..]).is_err());
    assert!(Validated::<[u8; 2]>::try_read_from_bytes(&[2u8, 7, 8][..]).is_ok());
    assert!(Validated::<[u8; 2]>::try_read_from_bytes(&[1u8, 7, 8][..]).is_err());
}
