// `bool` has invalid bit patterns, so it has no unchecked view from bytes; the message
// points to the checked `try_` form.
use zerocast::FromBytes;

fn main() {
    let bytes = [0u8; 1];
    let _b = <bool as FromBytes>::ref_from_bytes(&bytes[..]);
}
