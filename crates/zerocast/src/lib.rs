//! Safe, zero-cost transmutation. (Skeleton: being filled in by issue #2.)
#![no_std]

pub mod byte_slice;
pub mod byteorder;
pub use crate::byte_slice::*;
pub use crate::byteorder::*;
