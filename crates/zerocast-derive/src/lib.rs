//! Derive macros for [`zerocast`](https://docs.rs/zerocast): the analysis that
//! decides whether a type may implement each of zerocast's marker traits,
//! and the small `unsafe impl` blocks that record the decision.
//!
//! Every derive follows the same path: [`ctx::Ctx`] reads the item and its
//! `#[repr]` once, a per-trait module checks the rules that can be decided
//! from the tokens (reporting a spanned error that names the type and the
//! rule), and the emitted impl carries the rest as trait bounds and
//! compile-time assertions that rustc checks after type resolution (field
//! traits, padding). All emitted paths are rooted at `::core` and at
//! `::zerocast` (or the path given by `#[zerocast(crate = "path")]`), so user
//! crates that shadow `core`, `Result`, `Option` or `Some` still compile.
//!
//! The derives are re-exported by `zerocast` (feature `derive`); see the
//! trait documentation there for the exact rules.

#![forbid(unsafe_code)]

mod byte_traits;
mod ctx;
mod enums;
mod from_bytes;
mod immutable;
mod into_bytes;
mod known_layout;
mod repr;
mod split_at;
mod try_from_bytes;
mod unaligned;
mod validate;

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
        Ok(tokens) => quote!(const _: () = { #tokens };).into(),
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
    /// may end in a slice or another `KnownLayout` dynamically sized type.
    KnownLayout => derive_known_layout => known_layout::derive;
    /// Implements `Immutable`: every field must be `Immutable` (no
    /// `UnsafeCell` outside of an indirection).
    Immutable => derive_immutable => immutable::derive;
    /// Implements `TryFromBytes` with a validity check per field, variant
    /// (enums need `repr(C)` or `repr(Int)`) or union field.
    TryFromBytes => derive_try_from_bytes => try_from_bytes::derive;
    /// Implements `FromZeros` (and `TryFromBytes`); enums need a variant
    /// with discriminant 0.
    FromZeros => derive_from_zeros => from_bytes::derive_from_zeros;
    /// Implements `FromBytes` (and `FromZeros`, `TryFromBytes`); enums need
    /// `repr(u8/i8)` with 256 variants or `repr(u16/i16)` with 65,536.
    FromBytes => derive_from_bytes => from_bytes::derive_from_bytes;
    /// Implements `IntoBytes` after proving there is no padding.
    IntoBytes => derive_into_bytes => into_bytes::derive;
    /// Implements `Unaligned`: alignment 1, no `align(N > 1)`.
    Unaligned => derive_unaligned => unaligned::derive;
    /// Implements `SplitAt` for `repr(C)`/`repr(transparent)` structs whose
    /// last field is `SplitAt`.
    SplitAt => derive_split_at => split_at::derive;
    /// Implements `core::hash::Hash` by hashing the value's bytes.
    ByteHash => derive_byte_hash => byte_traits::derive_hash;
    /// Implements `PartialEq` and `Eq` by comparing the values' bytes.
    ByteEq => derive_byte_eq => byte_traits::derive_eq;
}
