// The passing twin of the `fail_bits_*` cases: adjacent ranges, flags up to the top bit.
// User crates may forbid unsafe code: the derives' `unsafe impl`s must still compile.
#![forbid(unsafe_code)]
use zerocast::byteorder::network_endian::U32;
use zerocast::BitFields;

#[derive(BitFields)]
#[zerocast(bits(data_offset = 12..16, reserved = 8..12, low = 0..8))]
#[repr(transparent)]
struct Control(u16);

#[derive(BitFields)]
#[zerocast(bits(flow_label = 12..32, flag = 7))]
#[repr(transparent)]
struct Word(U32);

fn main() {
    let w = Word(U32::new(0xFFFF_F080));
    assert_eq!((w.flow_label(), w.flag()), (0xFFFFF, true));
}
