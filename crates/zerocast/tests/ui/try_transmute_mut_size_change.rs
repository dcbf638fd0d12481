// `try_transmute_mut!` keeps the size: four bytes are not one `bool`.
fn main() {
    let mut raw = [0u8; 4];
    let _: Result<&mut bool, _> = zerocast::try_transmute_mut!(&mut raw);
}
