// A validator must be `fn(&Self) -> Result<(), E>` with the declared error type.
use zerocast::{Immutable, KnownLayout, TryFromBytes};

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate = returns_bool)]
#[repr(C)]
struct Flag(u8);

fn returns_bool(f: &Flag) -> bool {
    f.0 < 2
}

fn main() {}
