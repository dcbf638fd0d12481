//! Derives inside a `#![no_implicit_prelude]` module: no std prelude, no extern
//! prelude, no tool prelude. The expansion may only use `::core` and
//! `::zerocast` paths, and no `#[diagnostic::...]` attribute (rustc cannot
//! resolve that tool attribute here, so those live in `zerocast::__derive`).

#[no_implicit_prelude]
#[allow(dead_code)]
mod user {
    use ::zerocast::{
        ByteEq, ByteHash, FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt,
        TryFromBytes, Unaligned,
    };

    #[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, ByteEq, ByteHash)]
    #[repr(C)]
    pub struct Plain {
        pub kind: u8,
        pub len: [u8; 3],
    }

    #[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, SplitAt)]
    #[repr(C)]
    pub struct Dst {
        pub len: u8,
        pub body: [u8],
    }

    #[derive(KnownLayout, Immutable, TryFromBytes, IntoBytes)]
    #[repr(C)]
    pub struct Nested {
        pub head: u8,
        pub tail: Dst,
    }

    #[derive(KnownLayout, Immutable, IntoBytes)]
    #[repr(C)]
    pub struct Padded {
        pub a: u16,
        pub b: [u8; 2],
        pub c: u32,
    }

    #[derive(KnownLayout, Immutable, FromZeros, IntoBytes)]
    #[repr(u8)]
    pub enum Data {
        A(u8) = 0,
        B(bool),
    }

    #[derive(KnownLayout, Immutable, TryFromBytes)]
    #[repr(C, u16)]
    pub enum DataC {
        X(u32),
        Y(char),
    }

    #[derive(Immutable, IntoBytes)]
    #[repr(u8)]
    pub enum Generic<T> {
        A(T, u8),
        B(T, bool),
    }

    #[derive(KnownLayout, Immutable, FromBytes)]
    #[repr(C)]
    pub union Either {
        pub a: u32,
        pub b: [u8; 4],
    }
}

use zerocast::{FromBytes, IntoBytes, TryFromBytes};

#[test]
fn derives_work_without_any_prelude() {
    let p = user::Plain::read_from_bytes(&[1, 2, 3, 4]).unwrap();
    assert_eq!(p.as_bytes(), &[1, 2, 3, 4]);
    assert!(p == user::Plain::read_from_bytes(&[1, 2, 3, 4]).unwrap());
    let n = user::Nested::try_ref_from_bytes(&[9, 2, 5, 6][..]).unwrap();
    assert_eq!(
        (n.head, n.tail.len, &n.tail.body[..]),
        (9, 2, &[5u8, 6][..])
    );
    assert!(user::Data::try_read_from_bytes(&[1, 2]).is_err());
    assert_eq!(user::Generic::A(7u8, 1).as_bytes(), &[0, 7, 1]);
    let _ = user::Either::read_from_bytes(&[0; 4]).unwrap();
}
