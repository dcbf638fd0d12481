//! `Ref` over every byte container: each constructor's success and error
//! paths (size, alignment at every offset), and every way of using the view.

use core::cell::{self, RefCell};
use core::mem::size_of;

use super::Ref;
use crate::byteorder::{BigEndian, U32};
use crate::{ByteSlice, SplitByteSlice};

extern crate std;
use std::format;

/// 64 bytes aligned to 16, holding 0, 1, 2, ... so offsets are visible.
#[repr(C, align(16))]
struct Buf([u8; 64]);

impl Buf {
    fn new() -> Buf {
        let mut b = Buf([0; 64]);
        for (i, x) in b.0.iter_mut().enumerate() {
            *x = i as u8;
        }
        b
    }
}

fn native_u32(bytes: &[u8]) -> u32 {
    u32::from_ne_bytes(bytes[..4].try_into().unwrap())
}

fn is_size_error<E: core::fmt::Debug>(e: &E) -> bool {
    format!("{e:?}").starts_with("Size")
}

fn is_alignment_error<E: core::fmt::Debug>(e: &E) -> bool {
    format!("{e:?}").starts_with("Alignment")
}

#[test]
fn from_bytes_accepts_exact_aligned_bytes_and_rejects_each_misalignment() {
    let buf = Buf::new();
    let r = Ref::<_, u32>::from_bytes(&buf.0[..4]).unwrap();
    assert_eq!(*r, native_u32(&buf.0));
    for off in 1..4 {
        let err = Ref::<_, u32>::from_bytes(&buf.0[off..off + 4]).unwrap_err();
        assert!(is_alignment_error(&err), "offset {off}: {err:?}");
        assert_eq!(err.into_src().as_ptr(), buf.0[off..].as_ptr());
    }
    for len in [0, 3, 5, 8] {
        let err = Ref::<_, u32>::from_bytes(&buf.0[..len]).unwrap_err();
        assert!(is_size_error(&err), "len {len}");
        assert_eq!(err.into_src().len(), len);
    }
}

#[test]
fn from_prefix_and_suffix_split_off_the_rest() {
    let buf = Buf::new();
    let (r, rest) = Ref::<_, u32>::from_prefix(&buf.0[..7]).unwrap();
    assert_eq!((*r, rest), (native_u32(&buf.0), &buf.0[4..7]));
    let err = Ref::<_, u32>::from_suffix(&buf.0[..7]).unwrap_err();
    assert!(is_alignment_error(&err), "suffix at offset 3 is misaligned");
    let (rest, r) = Ref::<_, u32>::from_suffix(&buf.0[..8]).unwrap();
    assert_eq!((rest, *r), (&buf.0[..4], native_u32(&buf.0[4..])));
    for off in 1..4 {
        assert!(is_alignment_error(
            &Ref::<_, u32>::from_prefix(&buf.0[off..]).unwrap_err()
        ));
        assert!(is_alignment_error(
            &Ref::<_, u32>::from_suffix(&buf.0[..8 + off]).unwrap_err()
        ));
    }
    assert!(is_size_error(
        &Ref::<_, u32>::from_prefix(&buf.0[..3]).unwrap_err()
    ));
    assert!(is_size_error(
        &Ref::<_, u32>::from_suffix(&buf.0[..3]).unwrap_err()
    ));
}

#[test]
fn slices_take_as_many_elements_as_fit() {
    let buf = Buf::new();
    let r = Ref::<_, [u16]>::from_bytes(&buf.0[..10]).unwrap();
    assert_eq!(r.len(), 5);
    assert!(is_size_error(
        &Ref::<_, [u16]>::from_bytes(&buf.0[..9]).unwrap_err()
    ));
    assert!(is_alignment_error(
        &Ref::<_, [u16]>::from_bytes(&buf.0[1..11]).unwrap_err()
    ));
    let (r, rest) = Ref::<_, [u16]>::from_prefix(&buf.0[..9]).unwrap();
    assert_eq!((r.len(), rest.len()), (4, 1));
    // 11 bytes hold two `u32`s, which would start at offset 3.
    assert!(is_alignment_error(
        &Ref::<_, [u32]>::from_suffix(&buf.0[..11]).unwrap_err()
    ));
    let (rest, r) = Ref::<_, [u32]>::from_suffix(&buf.0[4..16]).unwrap();
    assert_eq!((rest.len(), r.len()), (0, 3));
    let empty = Ref::<_, [u32]>::from_bytes(&buf.0[..0]).unwrap();
    assert!(empty.is_empty());
}

#[test]
fn with_elems_constructors_demand_the_exact_count() {
    let buf = Buf::new();
    let r = Ref::<_, [u16]>::from_bytes_with_elems(&buf.0[..6], 3).unwrap();
    assert_eq!(r.len(), 3);
    assert!(is_size_error(
        &Ref::<_, [u16]>::from_bytes_with_elems(&buf.0[..6], 2).unwrap_err()
    ));
    assert!(is_size_error(
        &Ref::<_, [u16]>::from_bytes_with_elems(&buf.0[..6], usize::MAX).unwrap_err()
    ));
    assert!(is_alignment_error(
        &Ref::<_, [u16]>::from_bytes_with_elems(&buf.0[1..7], 3).unwrap_err()
    ));
    let (r, rest) = Ref::<_, [u16]>::from_prefix_with_elems(&buf.0[..7], 2).unwrap();
    assert_eq!((r.len(), rest.len()), (2, 3));
    assert!(is_size_error(
        &Ref::<_, [u16]>::from_prefix_with_elems(&buf.0[..7], 4).unwrap_err()
    ));
    let err = Ref::<_, [u16]>::from_suffix_with_elems(&buf.0[..7], 2).unwrap_err();
    assert!(is_alignment_error(&err));
    let (rest, r) = Ref::<_, [u16]>::from_suffix_with_elems(&buf.0[..8], 3).unwrap();
    assert_eq!((rest, r.len()), (&buf.0[..2], 3));
    assert!(is_size_error(
        &Ref::<_, [u16]>::from_suffix_with_elems(&buf.0[..8], 5).unwrap_err()
    ));
}

#[test]
fn mutable_refs_write_through_to_the_buffer() {
    let mut buf = Buf::new();
    {
        let (mut r, _) = Ref::<_, U32<BigEndian>>::from_prefix(&mut buf.0[1..]).unwrap();
        r.set(0xAABB_CCDD);
        assert_eq!(Ref::read(&r).get(), 0xAABB_CCDD);
        Ref::write(&mut r, U32::new(0x0102_0304));
        Ref::bytes_mut(&mut r)[3] = 0x55;
        assert_eq!(Ref::bytes(&r), &[1, 2, 3, 0x55]);
    }
    assert_eq!(&buf.0[..6], &[0, 1, 2, 3, 0x55, 5]);
    let r = Ref::<_, [u8; 2]>::from_bytes(&mut buf.0[4..6]).unwrap();
    let arr: &mut [u8; 2] = Ref::into_mut(r);
    arr[1] = 9;
    assert_eq!(buf.0[5], 9);
}

#[test]
fn into_ref_and_into_bytes_keep_the_original_borrow() {
    let buf = Buf::new();
    let r = Ref::<_, [u8; 3]>::from_bytes(&buf.0[..3]).unwrap();
    let arr: &[u8; 3] = Ref::into_ref(r);
    assert_eq!(arr, &[0, 1, 2]);
    let r = Ref::<_, [u8; 3]>::from_bytes(&buf.0[..3]).unwrap();
    let back: &[u8] = Ref::into_bytes(r);
    assert_eq!(back.as_ptr(), buf.0.as_ptr());
}

#[test]
fn cell_guards_stay_borrowed_while_the_ref_lives() {
    let cell = RefCell::new(Buf::new());
    {
        let guard = cell::Ref::map(cell.borrow(), |b| &b.0[..]);
        let (r, _rest) = Ref::<_, [u8; 4]>::from_prefix(guard).unwrap();
        assert_eq!(*r, [0, 1, 2, 3]);
        assert!(cell.try_borrow_mut().is_err());
        let guard = Ref::into_bytes(r);
        assert_eq!(guard.len(), 4);
    }
    {
        let guard = cell::RefMut::map(cell.borrow_mut(), |b| &mut b.0[..]);
        let (mut r, rest) = Ref::<_, u32>::from_prefix(guard).unwrap();
        *r = 0;
        drop(rest);
        assert!(cell.try_borrow().is_err());
        let err = Ref::<_, u32>::from_bytes(cell::RefMut::map(Ref::into_bytes(r), |b| &mut b[1..]));
        assert!(is_size_error(&err.unwrap_err()));
    }
    assert_eq!(&cell.borrow().0[..5], &[0, 0, 0, 0, 4]);
}

#[test]
fn copies_and_clones_view_the_same_bytes() {
    let buf = Buf::new();
    let r = Ref::<_, [u8; 2]>::from_bytes(&buf.0[..2]).unwrap();
    let copy = r;
    #[allow(clippy::clone_on_copy)]
    let clone = r.clone();
    assert_eq!(Ref::bytes(&copy).as_ptr(), Ref::bytes(&clone).as_ptr());
    assert_eq!(copy, clone);
}

#[test]
fn comparison_and_formatting_use_the_value() {
    let buf = Buf::new();
    let a = Ref::<_, U32<BigEndian>>::from_bytes(&buf.0[..4]).unwrap();
    let b = Ref::<_, U32<BigEndian>>::from_bytes(&buf.0[4..8]).unwrap();
    assert!(a < b);
    assert_eq!(a.cmp(&b), core::cmp::Ordering::Less);
    assert_ne!(a, b);
    assert_eq!(format!("{a}"), "66051");
    assert_eq!(format!("{a:?}"), "Ref(U32(66051))");
}

#[test]
fn works_for_any_byte_slice_generically() {
    fn first_word<B: SplitByteSlice>(b: B) -> Option<u32> {
        Ref::<B, U32<BigEndian>>::from_prefix(b)
            .ok()
            .map(|(r, _)| r.get())
    }
    fn _is_byte_slice<B: ByteSlice>() {}
    let buf = Buf::new();
    assert_eq!(first_word(&buf.0[1..]), Some(0x0102_0304));
    assert_eq!(first_word(&buf.0[..3]), None);
    assert_eq!(
        size_of::<Ref<&[u8], u32>>(),
        size_of::<&[u8]>() + size_of::<usize>()
    );
}
