// A `[u8]` may start at any address, so it cannot be viewed as `[u16]` (more aligned), even
// when its length is even.
fn main() {
    let mut bytes = [0u8; 4];
    let _: &mut [u16] = zerocast::transmute_mut!(&mut bytes[..]);
}
