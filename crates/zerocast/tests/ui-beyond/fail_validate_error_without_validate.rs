// `validate_error` names the validators' error type; without a validator it is a mistake.
use zerocast::{Immutable, KnownLayout, TryFromBytes};

#[derive(TryFromBytes, KnownLayout, Immutable)]
#[zerocast(validate_error = MyError)]
#[repr(C)]
struct Plain(u8);

struct MyError;

fn main() {}
