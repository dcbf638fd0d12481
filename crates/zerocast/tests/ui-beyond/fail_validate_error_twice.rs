// The validators share one error type, named once.
use zerocast::{Immutable, KnownLayout, TryFromBytes};

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate = ok, validate_error = (), validate_error = u8)]
#[repr(C)]
struct Flag(u8);

fn ok(_: &Flag) -> Result<(), ()> {
    Ok(())
}

fn main() {}
