// A `&[u8]` must not become a `&Cell<u32>`: writes through the cell would change bytes the
// shared slice promises are frozen.
use core::cell::Cell;
use zerocast::FromBytes;

fn main() {
    let bytes = [0u8; 4];
    let _c = Cell::<u32>::ref_from_bytes(&bytes[..]);
}
