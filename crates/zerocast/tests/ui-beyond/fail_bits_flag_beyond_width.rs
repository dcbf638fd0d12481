// A flag at bit 8 does not exist in a `u8`.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(low = 0..4, flag = 8))]
#[repr(transparent)]
struct Byte(u8);

fn main() {}
