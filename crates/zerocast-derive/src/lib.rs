//! Derive macros for [`zerocast`](https://docs.rs/zerocast): the analysis that
//! decides whether a type may implement each of zerocast's marker traits,
//! and the small `unsafe impl` blocks that record the decision.
//!
//! Every derive follows the same path: `ctx::Ctx` reads the item and its
//! `#[repr]` once, a per-trait module checks the rules that can be decided
//! from the tokens (reporting a spanned error that names the type and the
//! rule), and the emitted impl carries the rest as trait bounds and
//! compile-time assertions that rustc checks after type resolution (field
//! traits, padding). All emitted paths are rooted at `::core` and at
//! `::zerocast` (or the path given by `#[zerocast(crate = "path")]`), so user
//! crates that shadow `core`, `Result`, `Option` or `Some` still compile.
//! The traits behind the padding diagnostics live in `zerocast::__derive`
//! rather than in each expansion, which keeps expansions small and lets
//! `#![no_implicit_prelude]` crates use the derives; the locals an expansion
//! binds are shielded from call-site constants of the same name by an
//! import of `zerocast::__derive::scope` (see there).
//!
//! The derives are re-exported by `zerocast` (feature `derive`); see the
//! trait documentation there for the exact rules.

#![forbid(unsafe_code)]

mod bitfield;
mod byte_traits;
mod crate_path_checks;
mod ctx;
mod enums;
mod from_bytes;
mod immutable;
mod into_bytes;
mod into_bytes_generic;
mod known_layout;
mod len_from;
mod repr;
mod split_at;
mod try_from_bytes;
mod unaligned;
mod validate;
mod zero_padded;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{parse_macro_input, DeriveInput, Error};

use crate::ctx::Ctx;

/// Runs one derive and turns an analysis error into `compile_error!`.
///
/// The impls go in an anonymous `const _` block so that helper items the
/// expansion needs (tag enums, assertion consts) never collide with the
/// user's names.
fn expand(input: TokenStream, derive: fn(&Ctx) -> Result<TokenStream2, Error>) -> TokenStream {
    let ast = parse_macro_input!(input as DeriveInput);
    let out = Ctx::new(&ast).and_then(|ctx| derive(&ctx));
    match out {
        // One lint allowance for every helper item of the expansion (marker
        // structs named after fields, model structs, tag enums, the `scope`
        // import that shadows call-site names).
        Ok(tokens) => quote! {
            #[allow(non_camel_case_types, non_snake_case, dead_code, unused_imports)]
            const _: () = { #tokens };
        }
        .into(),
        Err(e) => e.to_compile_error().into(),
    }
}

macro_rules! derives {
    ($($(#[$doc:meta])* $name:ident => $fn_name:ident => $path:path;)*) => {$(
        $(#[$doc])*
        #[proc_macro_derive($name, attributes(zerocast))]
        pub fn $fn_name(input: TokenStream) -> TokenStream {
            expand(input, $path)
        }
    )*};
}

derives! {
    /// Implements `KnownLayout`: any struct, enum or union; `repr(C)` structs
    /// may end in a slice or another `KnownLayout` dynamically sized type
    /// (their layout is built with zerocast's `DstLayout` builders). Other
    /// reprs must be sized. A trailing slice of zero-sized elements is
    /// accepted; conversions that infer its element count from a byte length
    /// then fail to build, and their `_with_elems` forms take the count.
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout};
    /// #[derive(KnownLayout, FromBytes, Immutable)]
    /// #[repr(C)]
    /// struct Packet {
    ///     len: u16,
    ///     body: [u8],
    /// }
    /// assert_eq!(Packet::size_for_metadata(3), Some(6)); // 2 + 3, padded to 2
    /// let p = Packet::ref_from_bytes(&[0u8; 6][..]).unwrap();
    /// assert_eq!(p.body.len(), 4);
    /// ```
    KnownLayout => derive_known_layout => known_layout::derive;
    /// Implements `Immutable`: every field must be `Immutable` (no
    /// `UnsafeCell` outside of an indirection).
    ///
    /// ```
    /// use zerocast::Immutable;
    /// #[derive(Immutable)]
    /// struct Config {
    ///     port: u16,
    ///     name: [u8; 8],
    /// }
    /// fn frozen<T: Immutable>() {}
    /// frozen::<Config>();
    /// ```
    Immutable => derive_immutable => immutable::derive;
    /// Implements `TryFromBytes` with a validity check per field, per variant
    /// (enums need `repr(C)` or `repr(Int)`: the tag must be a discriminant
    /// and the variant's fields valid) or per union field (any one valid).
    /// A struct's last field may be a slice, `str` or another dynamically
    /// sized type; the latter must then be `KnownLayout`, so that its bytes
    /// can be located.
    ///
    /// ```
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// #[derive(TryFromBytes, KnownLayout, Immutable, Debug, PartialEq)]
    /// #[repr(u8)]
    /// enum Message {
    ///     Ping = 1,
    ///     Flag(bool) = 2,
    /// }
    /// assert_eq!(Message::try_read_from_bytes(&[2, 1]), Ok(Message::Flag(true)));
    /// assert!(Message::try_read_from_bytes(&[2, 7]).is_err()); // not a bool
    /// assert!(Message::try_read_from_bytes(&[3, 0]).is_err()); // no such variant
    /// ```
    TryFromBytes => derive_try_from_bytes => try_from_bytes::derive;
    /// Implements `FromZeros` (and `TryFromBytes`): every field accepts all
    /// zeros; enums need a variant whose discriminant is provably 0.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// #[derive(FromZeros, Debug, PartialEq)]
    /// #[repr(u8)]
    /// enum State {
    ///     Idle = 0,
    ///     Busy(core::num::NonZeroU8),
    /// }
    /// assert_eq!(State::new_zeroed(), State::Idle);
    /// ```
    FromZeros => derive_from_zeros => from_bytes::derive_from_zeros;
    /// Implements `FromBytes` (and `FromZeros`, `TryFromBytes`): every field
    /// accepts any bytes; enums need `repr(u8/i8)` with 256 variants or
    /// `repr(u16/i16)` with 65,536.
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout};
    /// #[derive(FromBytes, KnownLayout, Immutable)]
    /// #[repr(C)]
    /// struct Header {
    ///     kind: u8,
    ///     len: [u8; 3],
    /// }
    /// let h = Header::ref_from_bytes(&[7, 0, 0, 9][..]).unwrap();
    /// assert_eq!((h.kind, h.len[2]), (7, 9));
    /// ```
    FromBytes => derive_from_bytes => from_bytes::derive_from_bytes;
    /// Implements `IntoBytes` after proving there is no padding: every gap
    /// between fields and at the end is checked at compile time with
    /// `offset_of!`/`size_of`, and a failure names the type, the gap's size,
    /// its offset and the field it follows. `repr(C)` structs may end in a
    /// slice or another DST (checked at every element count); generic types
    /// are accepted where no arithmetic on the parameters is needed
    /// (`repr(transparent)`, `repr(packed)`, `repr(C)` with `Unaligned` or
    /// all-`T` fields, enums with a one-byte tag, `Unaligned` fields and
    /// variants of provably equal size).
    ///
    /// ```
    /// use zerocast::{Immutable, IntoBytes};
    /// #[derive(IntoBytes, Immutable)]
    /// #[repr(u8)]
    /// enum Tagged<T> {
    ///     Short(T, u8) = 1,
    ///     Long(u8, T) = 2,
    /// }
    /// assert_eq!(Tagged::Short([7u8; 2], 9).as_bytes(), &[1, 7, 7, 9]);
    /// ```
    ///
    /// ```
    /// use zerocast::{Immutable, IntoBytes};
    /// #[derive(IntoBytes, Immutable)]
    /// #[repr(C)]
    /// struct Record {
    ///     id: u32,
    ///     kind: u16,
    ///     flags: u16,
    /// }
    /// let r = Record { id: 1, kind: 2, flags: 3 };
    /// assert_eq!(r.as_bytes().len(), 8);
    /// ```
    ///
    /// ```compile_fail
    /// use zerocast::IntoBytes;
    /// #[derive(IntoBytes)]
    /// #[repr(C)]
    /// struct Padded {
    ///     tag: u8,
    ///     value: u32, // 3 padding bytes before this field
    /// }
    /// ```
    IntoBytes => derive_into_bytes => into_bytes::derive;
    /// Implements `Unaligned`: alignment 1 (`repr(C)`/`repr(transparent)`
    /// with `Unaligned` fields, or `repr(packed)`; enums `repr(u8/i8)`), and
    /// never with `align(N > 1)`.
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};
    /// #[derive(Unaligned, FromBytes, KnownLayout, Immutable)]
    /// #[repr(C, packed)]
    /// struct Wire {
    ///     kind: u8,
    ///     value: u32,
    /// }
    /// let bytes = [0u8; 8];
    /// for start in 0..3 {
    ///     assert!(Wire::ref_from_bytes(&bytes[start..start + 5]).is_ok());
    /// }
    /// ```
    Unaligned => derive_unaligned => unaligned::derive;
    /// Implements `SplitAt` for `repr(C)`/`repr(transparent)` structs whose
    /// last field is `SplitAt` (e.g. a slice).
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout, SplitAt};
    /// #[derive(SplitAt, KnownLayout, FromBytes, Immutable)]
    /// #[repr(C)]
    /// struct Frame {
    ///     kind: u8,
    ///     body: [u8],
    /// }
    /// let f = Frame::ref_from_bytes(&[1, 10, 20, 30][..]).unwrap();
    /// let (head, rest) = f.split_at(1).unwrap().via_immutable();
    /// assert_eq!((&head.body[..], rest), (&[10u8][..], &[20u8, 30][..]));
    /// ```
    ///
    /// In a `repr(packed)` struct the trailing slice may be misaligned, so
    /// its elements are given as `Unalign<E>` (as zerocopy does):
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout, SplitAt, Unalign};
    /// #[derive(SplitAt, KnownLayout, FromBytes, Immutable)]
    /// #[repr(C, packed)]
    /// struct Words {
    ///     tag: u8,
    ///     words: [u16],
    /// }
    /// let w = Words::ref_from_bytes(&[1, 7, 0, 9, 0][..]).unwrap();
    /// let (_, rest): (&Words, &[Unalign<u16>]) = w.split_at(1).unwrap().via_immutable();
    /// assert_eq!(rest[0].get(), u16::from_ne_bytes([9, 0]));
    /// ```
    SplitAt => derive_split_at => split_at::derive;
    /// Implements `core::hash::Hash` by hashing the value's bytes (needs
    /// `IntoBytes + Immutable`).
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use zerocast::{ByteEq, ByteHash, Immutable, IntoBytes};
    /// #[derive(ByteHash, ByteEq, IntoBytes, Immutable)]
    /// #[repr(C)]
    /// struct Key([u8; 4]);
    /// let set: HashSet<Key> = [Key(*b"abcd"), Key(*b"abcd")].into_iter().collect();
    /// assert_eq!(set.len(), 1);
    /// ```
    ByteHash => derive_byte_hash => byte_traits::derive_hash;
    /// Implements `PartialEq` and `Eq` by comparing the values' bytes (needs
    /// `IntoBytes + Immutable`).
    ///
    /// ```
    /// use zerocast::{ByteEq, Immutable, IntoBytes};
    /// #[derive(ByteEq, IntoBytes, Immutable)]
    /// #[repr(C)]
    /// struct Addr([u8; 6]);
    /// assert!(Addr([1; 6]) == Addr([1; 6]));
    /// assert!(Addr([1; 6]) != Addr([2; 6]));
    /// ```
    ByteEq => derive_byte_eq => byte_traits::derive_eq;
    /// Implements `zerocast::beyond::LenFromHeader` for a slice DST whose
    /// trailing length is a header field: `#[zerocast(len_from = field)]`
    /// (or `len_from_fn = path`), `len_scale`, `len_minus`, `len_unit`.
    ///
    /// ```
    /// use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};
    /// #[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
    /// #[zerocast(len_from = count, len_unit = elems)]
    /// #[repr(C)]
    /// struct Counted {
    ///     count: u8,
    ///     items: [u8],
    /// }
    /// let (c, rest) = Counted::ref_from_prefix_by_header(&[1, 5, 6]).unwrap();
    /// assert_eq!((&c.items[..], rest), (&[5u8][..], &[6u8][..]));
    /// ```
    LenFromHeader => derive_len_from_header => len_from::derive;
    /// Implements getters and setters for named bit ranges of a
    /// `repr(transparent)` integer wrapper:
    /// `#[zerocast(bits(name = lo..hi, flag = bit))]`.
    ///
    /// ```
    /// use zerocast::byteorder::network_endian::U16;
    /// use zerocast::{BitFields, FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
    /// #[derive(BitFields, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
    /// #[zerocast(bits(version = 4..8, ihl = 0..4))]
    /// #[repr(transparent)]
    /// struct VersionIhl(u8);
    /// let v = VersionIhl(0x45);
    /// assert_eq!((v.version(), v.ihl()), (4, 5));
    /// ```
    BitFields => derive_bit_fields => bitfield::derive;
    /// Implements `zerocast::beyond::ZeroPadded` for a struct: writes it
    /// field by field with every padding byte zeroed.
    ///
    /// ```
    /// use zerocast::beyond::ZeroPadded;
    /// #[derive(zerocast::ZeroPadded)]
    /// #[repr(C)]
    /// struct Record {
    ///     kind: u8,
    ///     value: u16,
    /// }
    /// let bytes: [u8; 4] = Record { kind: 1, value: 0 }.to_zero_padded_array();
    /// assert_eq!(bytes, [1, 0, 0, 0]);
    /// ```
    ZeroPadded => derive_zero_padded => zero_padded::derive;
}
