// The included file has 4 bytes; it cannot become a `u8`.
const _WRONG: u8 = zerocast::include_value!("../data/one_le.bin");
fn main() {}
