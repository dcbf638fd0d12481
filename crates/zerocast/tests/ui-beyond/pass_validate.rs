// The passing twin of the `fail_validate_*` cases.
// User crates may forbid unsafe code: the derives' `unsafe impl`s must still compile.
#![forbid(unsafe_code)]
use zerocast::{Immutable, KnownLayout, TryFromBytes};

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate = small, validate_error = MyError)]
#[repr(C)]
struct Flag(u8);

#[derive(Debug)]
struct MyError;

fn small(f: &Flag) -> Result<(), MyError> {
    if f.0 < 2 { Ok(()) } else { Err(MyError) }
}

fn main() {
    assert!(Flag::try_read_from_bytes(&[1]).is_ok());
    assert!(Flag::try_read_from_bytes(&[2]).is_err());
}
