// Each bit field has one name.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(flag = 0, flag = 1))]
#[repr(transparent)]
struct Byte(u8);

fn main() {}
