//! What zerocopy's users still ask for, built on the core traits: generic transmutes whose
//! size check waits for monomorphization, validators that run after bit validity,
//! length-from-header slice DSTs, bit fields over byte-order integers, padding-zeroing
//! output, more byte containers, and `const` conversions.
//!
//! Each submodule is one feature and documents what it can and cannot do.

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

pub use self::validate::{check_candidate, check_unsized_candidate, CheckError, Validate};

pub use self::len_from::{LenError, LenField, LenFromHeader, LenRule, LenUnit};

pub use self::bits::{BitInt, BitStorage, BitsOutOfRange};

#[cfg(feature = "alloc")]
pub use self::containers::{
    box_from_bytes, box_into_bytes, boxed_slice_from_bytes, try_box_from_bytes,
};
pub use self::padded::{BufferTooShort, ZeroPadded};
