// `MaybeUninit<u32>` may hold uninitialized bytes, so it cannot be read as bytes.
use core::mem::MaybeUninit;
fn main() {
    let _x: [u8; 4] = zerocast::transmute!(MaybeUninit::<u32>::uninit());
}
