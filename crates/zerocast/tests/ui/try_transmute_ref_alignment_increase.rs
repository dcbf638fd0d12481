// `try_transmute_ref!` must reject an alignment increase (`char` is 4-aligned).
fn main() {
    let bytes = [0u8; 4];
    let _c: Result<&char, _> = zerocast::try_transmute_ref!(&bytes);
}
