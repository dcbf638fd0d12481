//! Derive macros for zerocast. (Skeleton: being filled in by issue #3.)
