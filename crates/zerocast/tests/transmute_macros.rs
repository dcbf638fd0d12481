//! The `transmute*!` macros: success paths, runtime validity errors, `const` use; and (with
//! trybuild) every compile-time rejection in `tests/ui/`: the macros' size, alignment and
//! trait checks and the conversion methods' trait bounds, each with its checked message.

use core::cell::Cell;

use zerocast::{
    transmute, transmute_mut, transmute_ref, try_transmute, try_transmute_mut, try_transmute_ref,
};

#[test]
fn transmute_preserves_bytes() {
    let v: [u8; 8] = transmute!(0x0102_0304_0506_0708u64.to_be());
    assert_eq!(v, [1, 2, 3, 4, 5, 6, 7, 8]);
    let back: u64 = transmute!(v);
    assert_eq!(back, 0x0102_0304_0506_0708u64.to_be());
}

#[test]
fn shrinking_transmute_keeps_the_first_bytes() {
    let head: [u8; 3] = transmute!(#![allow(shrink)] [1u8, 2, 3, 4, 5]);
    assert_eq!(head, [1, 2, 3]);
    let same: [u8; 2] = transmute!(#![allow(shrink)] [7u8, 8]);
    assert_eq!(same, [7, 8]);
}

#[test]
fn transmute_works_in_const() {
    const X: [u16; 2] = transmute!([0u8, 0, 0, 0]);
    const R: &[u8; 2] = transmute_ref!(&[5u8, 6]);
    assert_eq!(X, [0, 0]);
    assert_eq!(R, &[5, 6]);
}

/// `transmute_mut!` inside a `const fn` (mutable references in const are stable since 1.83).
const fn words_as_bytes(w: &mut [u16; 2]) -> &mut [u8; 4] {
    transmute_mut!(w)
}

#[test]
fn transmute_mut_works_in_const_fn() {
    let mut w = [0u16; 2];
    words_as_bytes(&mut w)[1] = 1;
    assert_eq!(w[0], u16::from_ne_bytes([0, 1]));
}

#[test]
fn transmute_ref_and_mut_alias_the_source() {
    let words = [1u32, 2];
    let bytes: &[u8; 8] = transmute_ref!(&words);
    assert_eq!(bytes.as_ptr().cast::<u32>(), words.as_ptr());
    let mut words = [0u32; 2];
    let bytes: &mut [u8; 8] = transmute_mut!(&mut words);
    bytes[4..].copy_from_slice(&7u32.to_ne_bytes());
    assert_eq!(words, [0, 7]);
}

#[test]
fn try_transmute_rejects_invalid_values_and_returns_the_source() {
    let ok: Result<char, _> = try_transmute!(0x1F600u32);
    assert_eq!(ok, Ok('😀'));
    let bad: Result<char, _> = try_transmute!(0xD800u32);
    assert_eq!(bad.unwrap_err().into_src(), 0xD800);

    let src = [1u8, 2];
    let r: Result<&[bool; 2], _> = try_transmute_ref!(&src);
    assert!(core::ptr::eq(r.unwrap_err().into_src(), &src));

    let mut raw = [1u8, 0];
    let flags: &mut [bool; 2] = try_transmute_mut!(&mut raw).unwrap();
    flags[1] = true;
    assert_eq!(raw, [1, 1]);
    let mut raw = [9u8, 0];
    let r: Result<&mut [bool; 2], _> = try_transmute_mut!(&mut raw);
    assert_eq!(r.unwrap_err().into_src(), &mut [9, 0]);
}

#[test]
fn try_transmute_of_interior_mutable_source_by_value_is_allowed() {
    // By value there is no aliasing, so `Cell` (not `Immutable`) is fine.
    let r: Result<bool, _> = try_transmute!(Cell::new(1u8));
    assert_eq!(r, Ok(true));
}

#[test]
#[cfg_attr(miri, ignore)]
fn compile_time_rejections() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
