// `4..4` has no bits.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(nothing = 4..4))]
#[repr(transparent)]
struct Byte(u8);

fn main() {}
