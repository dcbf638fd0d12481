// `transmute!` must reject a size change: 3 bytes cannot become a 4-byte `u32`.
fn main() {
    let _x: u32 = zerocast::transmute!([0u8; 3]);
}
