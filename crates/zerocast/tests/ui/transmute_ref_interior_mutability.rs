// A shared view of bytes must not gain interior mutability: `Cell<u8>` is not `Immutable`.
use core::cell::Cell;
fn main() {
    let byte = [0u8; 1];
    let _c: &Cell<u8> = zerocast::transmute_ref!(&byte);
}
