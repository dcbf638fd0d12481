// `try_transmute_mut!` writes back through the source type, so it must be `FromBytes`.
fn main() {
    let mut c = 'a';
    let _r: Result<&mut [u8; 4], _> = zerocast::try_transmute_mut!(&mut c);
}
