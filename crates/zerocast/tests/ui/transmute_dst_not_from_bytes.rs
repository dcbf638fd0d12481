// `char` has invalid bit patterns, so `transmute!` (which never checks) must reject it.
fn main() {
    let _c: char = zerocast::transmute!(0u32);
}
