// The wrapper is a tuple struct around the integer.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(low = 0..4))]
#[repr(transparent)]
struct Byte {
    bits: u8,
}

fn main() {}
