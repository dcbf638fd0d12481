// A slice's size is only known at run time, so it cannot become a sized type (as in
// zerocopy, whose `transmute_ref!` rejects `&[u8]` to `&[u8; 1]`).
fn main() {
    let _: &[u8; 1] = zerocast::transmute_ref!(&[0u8][..]);
}
