// A reference transmute must keep the size: `[u8; 2]` is not a `[u8; 3]`.
fn main() {
    let bytes = [0u8; 2];
    let _w: &[u8; 3] = zerocast::transmute_ref!(&bytes);
}
