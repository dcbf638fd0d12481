// `transmute_mut!` must reject an alignment increase.
fn main() {
    let mut b = [0u8; 8];
    let _x: &mut u64 = zerocast::transmute_mut!(&mut b);
}
