//! Implementations of zerocast's traits for core and std types, each block with the proof
//! of why the type meets the trait's contract, and the crate-private macro that writes them
//! (also used by `byteorder` and `Unalign`).

pub(crate) mod macros;

mod arrays;
mod atomics;
mod cryptocorrosion;
mod nonzero;
mod pointers;
mod primitives;
#[cfg(feature = "simd")]
mod simd;
mod tuples;
mod wrappers;
