// A `BitFields` type declares at least one field.
use zerocast::BitFields;

#[derive(BitFields)]
#[repr(transparent)]
struct Byte(u8);

fn main() {}
