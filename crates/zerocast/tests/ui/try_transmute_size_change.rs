// `try_transmute!` validates bits, not sizes: a `u16` is not a `bool`.
fn main() {
    let _b: Result<bool, _> = zerocast::try_transmute!(1u16);
}
