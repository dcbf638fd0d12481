// Two bit fields may not share a bit.
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(data_offset = 12..16, reserved = 8..13))]
#[repr(transparent)]
struct TcpControl(u16);

fn main() {}
