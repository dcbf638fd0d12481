//! Wire formats. (Skeleton: issue #6.)
#![no_std]
#![forbid(unsafe_code)]
extern crate zerocopy as zerocast;
