// `#![allow(shrink)]` permits a smaller destination, never a larger one.
fn main() {
    let _x: u32 = zerocast::transmute!(#![allow(shrink)] [0u8; 3]);
}
