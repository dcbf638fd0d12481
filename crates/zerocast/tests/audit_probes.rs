//! Audit probes: small programs that would be undefined behaviour (or wrong) if one of the
//! core's safety proofs were wrong. They are run under Miri with stacked and tree borrows
//! (`-Zmiri-strict-provenance`); see `crates/zerocast/AUDIT.md` for what each one targets.

use core::mem::size_of_val;
use std::panic::{catch_unwind, AssertUnwindSafe};

use zerocast::{
    transmute_ref, try_transmute_ref, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout,
    SplitAt, TryFromBytes, Unalign, Unaligned,
};
use zerocast_derive::{
    FromBytes as DFromBytes, Immutable as DImmutable, IntoBytes as DIntoBytes,
    KnownLayout as DKnownLayout, SplitAt as DSplitAt, TryFromBytes as DTryFromBytes,
    Unaligned as DUnaligned,
};

// zerocopy #3617's shape: a DST nested in `packed`, nested in `align(16)`.
#[derive(DKnownLayout, DFromBytes, DImmutable)]
#[repr(C)]
struct Inner {
    a: u64,
    t: [u8],
}

#[derive(DKnownLayout, DFromBytes, DImmutable)]
#[repr(C, packed)]
struct Packed {
    b: u8,
    i: Inner,
}

#[derive(DKnownLayout, DFromBytes, DImmutable)]
#[repr(C, align(16))]
struct Align16 {
    c: u8,
    p: Packed,
}

#[repr(C, align(16))]
struct Buf([u8; 256]);

/// The boxed value is exactly as big as rustc says (`size_of_val`), and writing all of
/// it (`zero`) stays inside the allocation: Miri reports an out-of-bounds write otherwise.
#[test]
fn nested_packed_align_dst_boxes_are_fully_allocated() {
    let counts: &[usize] = if cfg!(miri) {
        &[0, 1, 7, 8, 9]
    } else {
        &[0, 1, 2, 7, 8, 9, 15, 16, 17, 100]
    };
    for &n in counts {
        let mut b = Align16::new_box_zeroed_with_elems(n).unwrap();
        assert_eq!(b.p.i.t.len(), n);
        let size = size_of_val(&*b);
        assert_eq!(Align16::size_for_metadata(n), Some(size));
        b.zero();
        assert!(b.p.i.t.iter().all(|&x| x == 0));
        let mut p = Packed::new_box_zeroed_with_elems(n).unwrap();
        assert_eq!(Packed::size_for_metadata(n), Some(size_of_val(&*p)));
        p.zero();
    }
}

/// Views of exactly `size_of_val` bytes, and no count that needs more bytes than given.
#[test]
fn nested_packed_align_dst_views_cover_exactly_their_bytes() {
    let buf = Buf([0u8; 256]);
    for n in 0..40usize {
        let size = Align16::size_for_metadata(n).unwrap();
        let v = Align16::ref_from_bytes_with_elems(&buf.0[..size], n).unwrap();
        assert_eq!(size_of_val(v), size);
        assert!(Align16::ref_from_bytes_with_elems(&buf.0[..size - 1], n).is_err());
        // The maximal count that fits is consistent with the sizes.
        let (v, rest) = Align16::ref_from_prefix(&buf.0[..size]).unwrap();
        assert_eq!(
            (v.p.i.t.len() >= n, size_of_val(v) + rest.len()),
            (true, size)
        );
    }
}

/// Element counts near `usize::MAX` are errors, never wrapped sizes.
#[test]
fn huge_element_counts_are_errors() {
    assert!(<[u16]>::new_box_zeroed_with_elems(usize::MAX).is_err());
    assert!(<[u16]>::new_box_zeroed_with_elems(usize::MAX / 2 + 1).is_err());
    assert!(<[u8]>::new_box_zeroed_with_elems(isize::MAX as usize + 1).is_err());
    assert!(Align16::new_box_zeroed_with_elems(usize::MAX).is_err());
    assert!(Align16::new_box_zeroed_with_elems(isize::MAX as usize - 8).is_err());
    assert!(u64::new_vec_zeroed(usize::MAX).is_err());
    assert!(u64::new_vec_zeroed(usize::MAX / 8 + 1).is_err());
    let mut v = vec![1u32, 2];
    assert!(u32::extend_vec_zeroed(&mut v, usize::MAX - 1).is_err());
    assert!(u32::insert_vec_zeroed(&mut v, 1, usize::MAX).is_err());
    assert_eq!(v, [1, 2]);
    let buf = Buf([0u8; 256]);
    assert!(<[u16]>::ref_from_bytes_with_elems(&buf.0[..], usize::MAX).is_err());
    assert!(Align16::ref_from_prefix_with_elems(&buf.0[..], usize::MAX / 2).is_err());
    assert!(Align16::try_ref_from_suffix_with_elems(&buf.0[..], usize::MAX).is_err());
}

/// Zero-sized elements: any count is size 0, and `Vec` bookkeeping still overflows cleanly.
#[test]
fn zero_sized_elements_and_values() {
    let b = <[()]>::new_box_zeroed_with_elems(usize::MAX).unwrap();
    assert_eq!((b.len(), size_of_val(&*b)), (usize::MAX, 0));
    let mut v = <()>::new_vec_zeroed(usize::MAX).unwrap();
    assert_eq!(v.len(), usize::MAX);
    assert!(<()>::extend_vec_zeroed(&mut v, 1).is_err());
    assert!(<()>::insert_vec_zeroed(&mut v, 0, 1).is_err());
    let r = <[()]>::ref_from_bytes_with_elems(&[], usize::MAX).unwrap();
    assert_eq!(r.len(), usize::MAX);
}

#[test]
fn insert_past_the_end_panics_without_touching_the_vec() {
    let mut v = vec![5u16, 6];
    let r = catch_unwind(AssertUnwindSafe(|| u16::insert_vec_zeroed(&mut v, 3, 1)));
    assert!(r.is_err());
    assert_eq!(v, [5, 6]);
    u16::insert_vec_zeroed(&mut v, 1, 3).unwrap();
    assert_eq!(v, [5, 0, 0, 0, 6]);
}

// Validity of enums with explicit, negative and implicit discriminants and data.
#[derive(DTryFromBytes, DKnownLayout, DImmutable, DIntoBytes, Debug, PartialEq, Clone, Copy)]
#[repr(i8)]
enum Signed {
    A(u8) = -128,
    B(bool) = -1,
    C(u8) = 0,
    D(u8),
    E(bool) = 127,
}

#[test]
fn signed_tag_enum_accepts_exactly_its_values() {
    for tag in 0..=255u8 {
        for payload in 0..=255u8 {
            let got = Signed::try_read_from_bytes(&[tag, payload]).ok();
            let want = match (tag as i8, payload) {
                (-128, p) => Some(Signed::A(p)),
                (-1, 0 | 1) => Some(Signed::B(payload == 1)),
                (0, p) => Some(Signed::C(p)),
                (1, p) => Some(Signed::D(p)),
                (127, 0 | 1) => Some(Signed::E(payload == 1)),
                _ => None,
            };
            assert_eq!(got, want, "bytes [{tag}, {payload}]");
            if let Some(v) = want {
                assert_eq!(v.as_bytes(), [tag, payload]);
            }
            if cfg!(miri) && payload > 2 {
                break;
            }
        }
    }
}

#[derive(DTryFromBytes, DKnownLayout, DImmutable, Debug, PartialEq)]
#[repr(u64)]
enum Wide {
    X(u32) = 0x1_0000_0000,
    Y(char) = u64::MAX,
}

#[test]
fn wide_int_enum_checks_tag_and_payload() {
    let mut buf = [0u64; 2];
    let bytes = buf.as_mut_bytes();
    bytes[..8].copy_from_slice(&0x1_0000_0000u64.to_ne_bytes());
    bytes[8..12].copy_from_slice(&7u32.to_ne_bytes());
    assert_eq!(Wide::try_ref_from_bytes(&bytes[..]), Ok(&Wide::X(7)));
    bytes[..8].copy_from_slice(&u64::MAX.to_ne_bytes());
    bytes[8..12].copy_from_slice(&0xD800u32.to_ne_bytes());
    assert!(Wide::try_ref_from_bytes(&bytes[..]).is_err());
    bytes[8..12].copy_from_slice(&('é' as u32).to_ne_bytes());
    assert_eq!(Wide::try_ref_from_bytes(&bytes[..]), Ok(&Wide::Y('é')));
    bytes[..8].copy_from_slice(&1u64.to_ne_bytes());
    assert!(Wide::try_ref_from_bytes(&bytes[..]).is_err());
}

/// `update` moves the value out; a panicking closure must put it back exactly once (Miri
/// reports a double free or a leak otherwise).
#[test]
fn unalign_update_with_drop_type_and_panic() {
    let mut u = Unalign::new(String::from("abc"));
    let r = catch_unwind(AssertUnwindSafe(|| {
        u.update(|s| {
            s.push('d');
            panic!("in the closure");
        })
    }));
    assert!(r.is_err());
    assert_eq!(u.update(|s| s.clone()), "abcd");
    let len = u.update(|s| {
        *s = String::from("replaced");
        s.len()
    });
    assert_eq!((len, u.into_inner()), (8, String::from("replaced")));
}

// `SplitAt` on a packed struct: elements become `Unalign`.
#[derive(DKnownLayout, DFromBytes, DIntoBytes, DImmutable, DUnaligned, DSplitAt)]
#[repr(C, packed)]
struct PackedWords {
    tag: u8,
    words: [u16],
}

#[test]
fn split_packed_struct_at_every_index_and_write_both_parts() {
    let mut bytes = [0u8; 1 + 2 * 5];
    let p = PackedWords::mut_from_bytes(&mut bytes[..]).unwrap();
    for k in 0..=5 {
        let (left, right) = p.split_at_mut(k).unwrap().via_into_bytes();
        assert_eq!((size_of_val(left), right.len()), (1 + 2 * k, 5 - k));
        left.tag = k as u8;
        for w in right.iter_mut() {
            *w = Unalign::new(0xABCD);
        }
        left.as_mut_bytes().fill(k as u8);
    }
    let p = PackedWords::ref_from_bytes(&bytes[..]).unwrap();
    for k in 0..=5 {
        let (left, right) = p.split_at(k).unwrap().via_runtime_check().ok().unwrap();
        assert_eq!(size_of_val(left) + size_of_val(right), bytes.len());
    }
    assert!(p.split_at(6).is_none());
}

// A padded DST: `via_runtime_check` must refuse splits whose left part's padding
// overlaps the right part.
#[derive(DKnownLayout, DFromBytes, DImmutable, DSplitAt)]
#[repr(C)]
struct Padded {
    a: u32,
    t: [u8],
}

#[test]
fn padded_split_refuses_overlap() {
    #[repr(C, align(4))]
    struct B([u8; 12]);
    let buf = B([0; 12]);
    let p = Padded::ref_from_bytes(&buf.0[..]).unwrap();
    assert_eq!(p.t.len(), 8);
    for k in 0..=8 {
        let ok = p.split_at(k).unwrap().via_runtime_check().is_ok();
        assert_eq!(ok, k % 4 == 0, "split at {k}");
        let (l, r) = p.split_at(k).unwrap().via_immutable();
        assert_eq!((l.t.len(), r.len()), (k, 8 - k));
    }
}

/// Boxes converted both ways keep the allocation's layout (Miri checks the deallocation).
#[test]
fn box_conversions_round_trip() {
    use zerocast::beyond::{
        box_from_bytes, box_into_bytes, boxed_slice_from_bytes, try_box_from_bytes,
    };
    let b: Box<[u8]> = vec![1u8, 2, 3, 4, 5, 6].into_boxed_slice();
    let words = boxed_slice_from_bytes::<[u8; 2]>(b).unwrap();
    assert_eq!(&*words, &[[1, 2], [3, 4], [5, 6]]);
    let arr: Box<[[u8; 2]; 3]> =
        box_from_bytes(words.as_bytes().to_vec().into_boxed_slice()).unwrap();
    let back = box_into_bytes(arr);
    assert_eq!(&*back, &[1, 2, 3, 4, 5, 6]);
    let err = try_box_from_bytes::<[bool; 6]>(back).unwrap_err();
    let back = match err {
        zerocast::ConvertError::Validity(e) => e.into_src(),
        _ => panic!("expected a validity error"),
    };
    assert_eq!(back.len(), 6);
    let zst = box_from_bytes::<()>(Vec::new().into_boxed_slice()).unwrap();
    assert!(box_into_bytes(zst).is_empty());
}

/// Reference transmutes between slice DSTs keep provenance and length.
#[test]
fn dst_reference_transmutes() {
    let words = [0x0102_0304u32, 0x0506_0708];
    let halves: &[u16] = transmute_ref!(&words[..]);
    assert_eq!(halves.len(), 4);
    assert_eq!(halves.as_bytes(), words.as_bytes());
    let flags = [0u8, 1, 1, 0];
    let ok: Result<&[bool], _> = try_transmute_ref!(&flags[..]);
    assert_eq!(ok.unwrap(), &[false, true, true, false]);
    let bad = [0u8, 2];
    let err: Result<&[bool], _> = try_transmute_ref!(&bad[..]);
    assert!(err.is_err());
}

fn _bounds() {
    fn unaligned<T: ?Sized + Unaligned>() {}
    unaligned::<PackedWords>();
    fn immutable<T: ?Sized + Immutable + KnownLayout + SplitAt>() {}
    immutable::<Padded>();
}

// A validated type viewed mutably: the validator's shared view of the candidate must not
// invalidate the `&mut` handed out afterwards (stacked and tree borrows).
#[derive(DTryFromBytes, DKnownLayout, DImmutable, DIntoBytes, DUnaligned)]
#[zerocast(validate = small)]
#[repr(C)]
struct Small {
    v: u8,
    f: bool,
}

fn small(s: &Small) -> Result<(), &'static str> {
    if s.v < 100 {
        Ok(())
    } else {
        Err("big")
    }
}

#[test]
fn validated_mutable_view_is_writable_after_the_check() {
    let mut bytes = [7u8, 1, 9];
    let (s, rest) = Small::try_mut_from_prefix(&mut bytes[..]).unwrap();
    s.v = 200;
    s.f = false;
    rest[0] = 3;
    assert_eq!(bytes, [200, 0, 3]);
    assert!(Small::try_mut_from_prefix(&mut bytes[..]).is_err());
    bytes[0] = 1;
    bytes[1] = 2;
    assert!(Small::try_mut_from_prefix(&mut bytes[..]).is_err());
}
