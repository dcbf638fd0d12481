//! The derives in a hostile user crate: `unsafe_code` forbidden, and `core`,
//! `Result`, `Option`, `Some`, `bool`, `usize`, `Sized` and `Copy` shadowed.
//! The expansion must only use `::core` and `::zerocast` paths, and its
//! `unsafe` tokens must not be attributed to the user's code.
//! (`#![no_implicit_prelude]` has its own test, tests/no_implicit_prelude.rs.)
//!
//! Every name an expansion binds (parameters, `let`s, closure and match
//! bindings) is also defined here as a `const` or `static`: without
//! `zerocast::__derive::scope`, such an item turns the binding into a
//! constant pattern (or an error), which mixed-site hygiene does not prevent.

#![forbid(unsafe_code)]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

mod core {}
struct Result;
struct Option;
const Some: u8 = 0;
const None: u8 = 1;
struct bool;
struct usize;
trait Sized {}
trait Copy {}
// Names the expansion binds, as call-site constants and statics.
const candidate: u8 = 0;
const __zc_candidate: u8 = 0;
static __zc_ptr: u8 = 0;
const __zc_tag: u8 = 0;
static __zc_meta: u8 = 0;
const __zc_other: u8 = 0;
static __zc_check: u8 = 0;
const __zc_out: u8 = 0;
const value: u8 = 0;
static bits: u8 = 0;
const check: u8 = 0;
const read: u8 = 0;
const out: u8 = 0;
// Names the expansion uses for its own helpers, shadowed by call-site items
// that would turn them into other types.
struct Is;
struct PaddingFree;
struct Field;
struct __ZcTag;
struct __ZcModel;
struct __ZcPayload;
const __ZC_GAPS: u8 = 0;
fn from_bytes() {}
const LAYOUT: u8 = 0;
const p: u8 = 0;
const t: u8 = 0;
const s: u8 = 0;
const tag: u8 = 0;
const variant: u8 = 0;
const bytes: u8 = 0;
const meta: u8 = 0;
const ptr: u8 = 0;
const other: u8 = 0;
const state: u8 = 0;

use ::zerocast::{
    ByteEq, ByteHash, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt,
    TryFromBytes, Unaligned,
};

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]
#[repr(C)]
struct UsesShadowed {
    a: [u8; LAYOUT as ::core::primitive::usize],
    b: ::core::marker::PhantomData<Is>,
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes)]
#[repr(C)]
struct Homogeneous<T> {
    a: T,
    b: [T; 2],
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, ByteEq, ByteHash)]
#[repr(C)]
struct r#Plain {
    r#type: u8,
    r#match: [u8; 3],
}

#[derive(KnownLayout, Immutable, FromZeros)]
#[repr(u16)]
enum r#enum {
    r#A = 0,
    B(::core::primitive::u16),
    C(::core::primitive::bool, ::core::primitive::u8),
}

#[derive(KnownLayout, Immutable, FromZeros, IntoBytes, Unaligned)]
#[repr(u8)]
enum Fieldless {
    Z,
    O,
}

#[derive(KnownLayout, Immutable, TryFromBytes)]
#[repr(C, u8)]
enum DataC {
    A(::core::primitive::u32),
    B(::core::primitive::bool),
}

#[derive(KnownLayout, Immutable, FromBytes)]
#[repr(C)]
union U {
    a: ::core::primitive::u32,
    b: [::core::primitive::u8; 4],
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, SplitAt)]
#[repr(C)]
struct Dst {
    len: u8,
    body: [u8],
}

#[derive(KnownLayout, Immutable, FromZeros)]
#[repr(C)]
struct Generic<'a, T, const N: ::core::primitive::usize>
where
    T: ::core::marker::Copy,
{
    arr: [T; N],
    flag: ::core::primitive::bool,
    _r: ::core::marker::PhantomData<&'a ()>,
}

#[derive(KnownLayout, Immutable, FromBytes)]
#[zerocast(crate = "::zerocast")]
#[repr(C)]
struct WithCrateAttr(u8);

#[derive(KnownLayout, Immutable, TryFromBytes, IntoBytes)]
#[repr(C)]
struct NestedDst {
    head: u8,
    tail: Dst,
}

// The user's own `value` constant, used inside expansions that shadow
// binding names, must still mean the user's constant.
#[derive(KnownLayout, Immutable, TryFromBytes, IntoBytes)]
#[repr(u8)]
enum UsesValue {
    A = value,
    B = value + 1,
}

#[derive(KnownLayout, Immutable, TryFromBytes)]
#[repr(C)]
struct ValueSized {
    flag: ::core::primitive::bool,
    pad: [u8; value as ::core::primitive::usize + 2],
}

#[derive(Immutable, IntoBytes)]
#[repr(C, u8)]
enum GenericEnum<T> {
    A(T, u8),
    B(T, [u8; 1]),
}

fn at_most_two(c: &Checked) -> ::core::result::Result<(), &'static str> {
    if c.0 <= 2 {
        ::core::result::Result::Ok(())
    } else {
        ::core::result::Result::Err("more than two")
    }
}

#[derive(KnownLayout, Immutable, TryFromBytes)]
#[zerocast(validate = at_most_two)]
#[repr(C)]
struct Checked(u8);

fn count_of(c: &Counted) -> u64 {
    u64::from(c.count)
}

#[derive(KnownLayout, Immutable, FromBytes, zerocast::LenFromHeader)]
#[zerocast(len_from_fn = count_of, len_unit = elems)]
#[repr(C)]
struct Counted {
    count: u8,
    items: [u8],
}

#[derive(zerocast::BitFields, KnownLayout, Immutable, FromBytes, IntoBytes)]
#[zerocast(bits(high = 4..8, low = 0..4))]
#[repr(transparent)]
struct Nibbles(u8);

#[derive(zerocast::ZeroPadded)]
#[repr(C)]
struct Loose {
    a: u8,
    b: u16,
}

#[test]
fn derived_items_work_with_shadowed_names() {
    let plain = <r#Plain as ::zerocast::FromBytes>::read_from_bytes(&[1, 2, 3, 4]);
    ::std::assert!(plain.is_ok());
    let e = |raw: [u8; 4]| <r#enum as ::zerocast::TryFromBytes>::try_read_from_bytes(&raw).is_ok();
    let tag_bytes = |v: u16| v.to_ne_bytes();
    let [t0, t1] = tag_bytes(3);
    ::std::assert!(!e([t0, t1, 1, 0]), "no variant has discriminant 3");
    let [t0, t1] = tag_bytes(2);
    ::std::assert!(
        e([t0, t1, 1, 7]) && !e([t0, t1, 5, 7]),
        "C(bool, u8) checks its bool"
    );
    let d = <Dst as ::zerocast::FromBytes>::ref_from_bytes(&[1, 2, 3]);
    ::std::assert!(d.is_ok());
    let n = <NestedDst as ::zerocast::TryFromBytes>::try_ref_from_bytes(&[1, 2, 3][..]);
    ::std::assert!(n.is_ok_and(|n| n.tail.body.len() == 1));
    ::std::assert_eq!(
        ::zerocast::IntoBytes::as_bytes(&GenericEnum::A(3u8, 1)),
        &[0, 3, 1]
    );
    let checked = |b: u8| <Checked as ::zerocast::TryFromBytes>::try_read_from_bytes(&[b]).is_ok();
    ::std::assert!(checked(2) && !checked(3), "the validator runs");
    let (c, rest) =
        <Counted as ::zerocast::LenFromHeader>::ref_from_prefix_by_header(&[2, 5, 6, 7]).unwrap();
    ::std::assert_eq!((&c.items[..], rest), (&[5u8, 6][..], &[7u8][..]));
    let mut nib = Nibbles(0x4f);
    ::std::assert_eq!((nib.high(), nib.low()), (4, 15));
    ::std::assert!(nib.set_low(3).is_ok());
    ::std::assert_eq!(nib.0, 0x43);
    let uses = |b: u8| <UsesValue as ::zerocast::TryFromBytes>::try_read_from_bytes(&[b]).is_ok();
    ::std::assert!(uses(0) && uses(1) && !uses(2));
    let sized = <ValueSized as ::zerocast::TryFromBytes>::try_read_from_bytes(&[1, 0, 0]);
    ::std::assert!(sized.is_ok_and(|v| v.pad.len() == 2));
    let zeroed: [u8; 4] =
        ::zerocast::beyond::ZeroPadded::to_zero_padded_array(&Loose { a: 1, b: 0 });
    ::std::assert_eq!(zeroed, [1, 0, 0, 0]);
}
