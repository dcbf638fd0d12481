//! zcdump. (Skeleton: issue #7.)
#![forbid(unsafe_code)]
fn main() {}
