// A validator receives `&Self` over bytes nobody may write, so the type must be `Immutable`.
use core::cell::Cell;
use zerocast::{KnownLayout, TryFromBytes};

#[derive(TryFromBytes, KnownLayout)]
#[zerocast(validate = nonzero)]
#[repr(C)]
struct Counter(Cell<u8>);

fn nonzero(c: &Counter) -> Result<(), &'static str> {
    if c.0.get() == 0 { Err("zero") } else { Ok(()) }
}

fn main() {}
