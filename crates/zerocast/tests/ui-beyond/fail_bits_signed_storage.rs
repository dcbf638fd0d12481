// Bits are cut from unsigned integers (`BitStorage`); `i16` is not one.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(low = 0..4))]
#[repr(transparent)]
struct Word(i16);

fn main() {}
