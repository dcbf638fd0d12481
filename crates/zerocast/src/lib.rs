//! Safe, zero-cost transmutation. (Skeleton: being filled in by issue #2.)
#![no_std]
