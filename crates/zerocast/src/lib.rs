//! Safe, zero-cost conversions between byte slices and typed values, with zerocopy 0.8's API.
//!
//! Mark a type with the traits that describe it — derive them with the `derive` feature —
//! and convert without `unsafe`:
//!
//! * [`FromBytes`]: any bytes are a valid value, so `&[u8]` can be viewed as `&T`
//!   ([`FromBytes::ref_from_bytes`]) or copied ([`FromBytes::read_from_bytes`]);
//! * [`TryFromBytes`]: some bytes are valid, checked at run time (`bool`, `char`, enums);
//! * [`FromZeros`]: all-zero bytes are valid ([`FromZeros::new_zeroed`]);
//! * [`IntoBytes`]: no padding, so a value can be viewed as bytes ([`IntoBytes::as_bytes`]);
//! * [`KnownLayout`]: size and alignment are known, including slice DSTs;
//! * [`Immutable`]: no interior mutability; [`Unaligned`]: alignment 1.
//!
//! ```
//! use zerocast::{FromBytes, IntoBytes};
//! let bytes = [1u8, 0, 2, 0];
//! let words = <[u16]>::ref_from_bytes(&bytes[..]).map(|w| w.len()).unwrap_or(0);
//! assert!(words == 2 || words == 0); // 0 only if `bytes` happens to be misaligned
//! assert_eq!(<[u8; 4]>::read_from_bytes(&bytes[..]).unwrap().as_bytes(), &bytes);
//! ```
//!
//! # Features
//! * `alloc`: boxed and `Vec` constructors ([`FromZeros::new_box_zeroed`], ...);
//! * `std`: `io` helpers ([`FromBytes::read_from_io`], [`IntoBytes::write_to_io`]);
//! * `derive`: re-exports the derive macros of `zerocast-derive` under the traits' names;
//! * `simd`: the traits for the `core::arch` vector types of x86, x86_64, wasm32 and aarch64
//!   (`simd-nightly` is accepted as in zerocopy and adds nothing);
//! * `float-nightly`: `f16` and `f128`, on a nightly compiler (a no-op on stable).
//!
//! # Differences from zerocopy 0.8
//! * `transmute!` and `try_transmute!` check sizes while type-checking, as zerocopy's do;
//!   `transmute!(#![defer_size_check] e)` also works in generic code (see
//!   [`beyond::transmute_generic`]). The reference macros (`transmute_ref!`, ...) accept
//!   generic code and slice DSTs like zerocopy's and, like them, check size and alignment
//!   when the code is instantiated (`cargo build`, not `cargo check`).
//! * Errors have public constructors ([`SizeError::new`], [`AlignmentError::new`], ...), and
//!   their messages name the source length, the needed size or alignment and the type.
//! * Slice DST sizes are exact for every nesting of `packed(N)` and `align(N)` (see
//!   [`layout`]).
//!
//! # Soundness
//! All unsafe code of the project lives here, each block with its proof. Internal machinery
//! is private or `unsafe` to call; the traits are `unsafe` to implement and meant to be
//! derived.
#![no_std]
#![cfg_attr(all(feature = "float-nightly", zerocast_nightly), feature(f16, f128))]
#![deny(missing_docs)]
// The method signatures are zerocopy 0.8's (`Result<(&Self, &[u8]), CastError<&[u8], Self>>`);
// compatibility decides their shape, not clippy's complexity score.
#![allow(clippy::type_complexity)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod candidate;
mod cast;
mod convert;
pub mod error;
mod from_bytes;
mod from_zeros;
mod impls;
mod into_bytes;
mod known_layout;
pub mod layout;
mod markers;
mod transmute;
mod transmute_dispatch;
mod try_from_bytes;

#[doc(hidden)]
#[path = "derive_support.rs"]
pub mod __derive;
#[doc(hidden)]
#[path = "transmute_support.rs"]
pub mod __private;

pub mod beyond;
pub mod byte_slice;
pub mod byteorder;
mod r#ref;
mod split_at;
mod unalign;
pub use crate::beyond::{LenFromHeader, Validate, ZeroPadded};
pub use crate::byte_slice::*;
pub use crate::byteorder::*;
pub use crate::r#ref::Ref;
pub use crate::split_at::{Split, SplitAt};
pub use crate::unalign::Unalign;

pub use crate::candidate::Maybe;
pub use crate::error::{
    AlignedTryCastError, AlignmentError, AllocError, CastError, ConvertError, SizeError,
    TryCastError, TryReadError, ValidityError,
};
pub use crate::from_bytes::FromBytes;
pub use crate::from_zeros::FromZeros;
pub use crate::into_bytes::IntoBytes;
pub use crate::known_layout::{KnownLayout, PointerMetadata};
pub use crate::layout::{DstLayout, SizeInfo, TrailingSliceLayout};
pub use crate::markers::{Immutable, Unaligned};
pub use crate::try_from_bytes::TryFromBytes;

#[cfg(feature = "derive")]
pub use zerocast_derive::*;
