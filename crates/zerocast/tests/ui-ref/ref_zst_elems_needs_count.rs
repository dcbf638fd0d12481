// With zero-sized trailing elements every element count fits, so `Ref` can
// only be built with an explicit count (`_with_elems`).
use zerocast::Ref;

fn main() {
    let bytes = [0u8; 0];
    let _r = Ref::<_, [()]>::from_bytes(&bytes[..]);
    let _ok = Ref::<_, [()]>::from_bytes_with_elems(&bytes[..], 3);
}
