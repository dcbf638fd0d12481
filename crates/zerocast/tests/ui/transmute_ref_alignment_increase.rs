// `[u8; 4]` is 1-aligned; viewing it as a 4-aligned `u32` must be rejected.
fn main() {
    let bytes = [0u8; 4];
    let _w: &u32 = zerocast::transmute_ref!(&bytes);
}
