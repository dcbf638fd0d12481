//! netstack3-style zero-copy buffers. (Skeleton: issue #5.)
#![no_std]
#![forbid(unsafe_code)]
extern crate zerocopy as zerocast;
