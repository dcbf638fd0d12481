// `transmute_mut!` needs both sides `FromBytes`: writes through `&mut bool` could not be
// allowed to store 2, and reading `u8` bytes as `bool` is unchecked.
fn main() {
    let mut b = 0u8;
    let _x: &mut bool = zerocast::transmute_mut!(&mut b);
}
