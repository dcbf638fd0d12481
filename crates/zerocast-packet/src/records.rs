//! Type-length-value record sequences (options): validated up front, iterated without
//! re-checking, and built with alignment.
//!
//! (In progress: see issue 5.)
