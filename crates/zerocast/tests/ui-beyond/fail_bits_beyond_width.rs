// A 20-bit flow label does not fit above bit 12 of a 32-bit word.
use zerocast::byteorder::network_endian::U32;
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(flow_label = 14..34))]
#[repr(transparent)]
struct Word(U32);

fn main() {}
