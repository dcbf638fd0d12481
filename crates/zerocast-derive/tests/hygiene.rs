//! The derives in a hostile user crate: no prelude, `unsafe_code` forbidden,
//! and `core`, `Result`, `Option`, `Some`, `bool` and `usize` shadowed. The
//! expansion must only use `::core` and `::zerocast` paths, and its `unsafe`
//! tokens must not be attributed to the user's code.

#![no_implicit_prelude]
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

use ::zerocast::{
    ByteEq, ByteHash, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt,
    TryFromBytes, Unaligned,
};

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
fn derived_items_work_without_prelude() {
    let p = <r#Plain as ::zerocast::FromBytes>::read_from_bytes(&[1, 2, 3, 4]);
    ::std::assert!(p.is_ok());
    let e = <r#enum as ::zerocast::TryFromBytes>::try_read_from_bytes(&[1, 0, 1, 0]);
    ::std::assert!(e.is_err());
    let d = <Dst as ::zerocast::FromBytes>::ref_from_bytes(&[1, 2, 3]);
    ::std::assert!(d.is_ok());
}
