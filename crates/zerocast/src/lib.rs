//! Safe, zero-cost transmutation. (Skeleton: being filled in by issue #2.)
#![no_std]

pub mod byteorder;
pub use crate::byteorder::*;
