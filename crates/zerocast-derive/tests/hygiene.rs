//! The derives in a hostile user crate: `unsafe_code` forbidden, and `core`,
//! `Result`, `Option`, `Some`, `bool`, `usize`, `Sized` and `Copy` shadowed.
//! The expansion must only use `::core` and `::zerocast` paths, and its
//! `unsafe` tokens must not be attributed to the user's code.
//! (`#![no_implicit_prelude]` is not used: rustc then cannot resolve the
//! `#[diagnostic::on_unimplemented]` tool attribute the padding check uses.)

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
// Names the expansion uses for its own helpers and locals, shadowed by
// call-site items that would turn them into other types or const patterns.
struct Is;
struct PaddingFree;
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
}
