// zerocast's `Ref`, like zerocopy's, takes no slice DST with zero-sized
// trailing elements, not even with an explicit element count; the trait
// methods' `_with_elems` forms take them (the twin is in allowed_uses.rs).
use zerocast::Ref;

fn main() {
    let bytes = [0u8; 0];
    let _r = Ref::<_, [()]>::from_bytes_with_elems(&bytes[..], 3);
}
