// Bit-field wrappers are not generic.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(low = 0..4))]
#[repr(transparent)]
struct Bits<T>(T);

fn main() {}
