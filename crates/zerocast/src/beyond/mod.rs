//! What zerocopy's users still ask for, built on the core traits: generic transmutes whose
//! size check waits for monomorphization, validators that run after bit validity,
//! length-from-header slice DSTs, bit fields over byte-order integers, padding-zeroing
//! output, more byte containers, and `const` conversions.
//!
//! Each submodule is one feature and documents what it can and cannot do:
//!
//! | module | what | derive |
//! |---|---|---|
//! | [`generic_transmute`] | `transmute`s in generic code, size check at monomorphization | |
//! | [`validate`] | validators after bit validity; [`CheckError`] says which failed | `#[zerocast(validate = path)]` on `TryFromBytes` |
//! | [`len_from`] | slice DSTs whose length is a header field | `LenFromHeader` |
//! | [`bits`] | bit fields over (byte-order) integers | `BitFields` |
//! | [`padded`] | output with padding bytes zeroed | `ZeroPadded` |
//! | `containers` (`alloc`) | `Vec<u8>`, `Box<[u8]>`, `bytes` as byte slices; `Box<[u8]>` ↔ `Box<T>` | |
//! | [`const_convert`] | `const` conversions, and why the rest cannot be | |
//!
//! # Limits of the design
//!
//! * Post-monomorphization errors (generic transmutes, `to_zero_padded_array`) appear in
//!   `cargo build`, not `cargo check`; bit-field width checks are plain constants, which
//!   `cargo check` evaluates.
//! * Validators cannot change `ValidityError` (its shape is zerocopy's); the reason is
//!   available through [`Validate`]'s `*_checked` methods instead.
//! * Length-from-header parsing reads the header through a zero-element view, so the
//!   length field must be in the fixed part, and validators also see that view.
//! * `Box<[u8]>` ↔ `Box<T>` needs alignment 1: the allocator must get back the layout it
//!   allocated with. `Vec<u8>`/`Box<[u8]>` cannot be split into two owners, so they are
//!   not `SplitByteSlice`.
//! * `ZeroPadded` is for structs and arrays of them; an enum's or union's padding depends
//!   on the variant (the [`padded`] module lists every unsupported shape).

pub mod bits;
pub mod const_convert;
#[cfg(feature = "alloc")]
pub mod containers;
pub mod generic_transmute;
pub mod len_from;
pub mod padded;
pub mod validate;

pub use self::generic_transmute::{
    transmute_generic, transmute_mut_generic, transmute_ref_generic, try_transmute_generic,
};

pub use self::validate::{
    check_candidate, check_unsized_candidate, run_unsized_validators, run_validators, CheckError,
    Validate,
};

pub use self::len_from::{LenError, LenField, LenFromHeader, LenRule, LenUnit};

pub use self::bits::{BitInt, BitStorage, BitsOutOfRange};

#[cfg(feature = "alloc")]
pub use self::containers::{
    box_from_bytes, box_into_bytes, boxed_slice_from_bytes, try_box_from_bytes,
};
pub use self::padded::{BufferTooShort, ZeroPadded, ZeroPaddedElements};
