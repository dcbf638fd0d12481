// `to_zero_padded_array::<N>` checks `N` against the size after monomorphization.
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C)]
struct Pair {
    a: u8,
    b: u16,
}

fn main() {
    let _: [u8; 3] = Pair { a: 1, b: 2 }.to_zero_padded_array();
}
