// Without `repr(transparent)` the wrapper's layout is not promised to be the integer's.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(low = 0..4))]
struct Byte(u8);

fn main() {}
