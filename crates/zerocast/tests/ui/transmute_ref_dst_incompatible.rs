// A `[u16]` of odd length is not a whole number of 3-byte elements, so no `[[u8; 3]]` has
// exactly the size of every `[u16]`.
fn main() {
    let words: &[u16] = &[1, 2, 3];
    let _: &[[u8; 3]] = zerocast::transmute_ref!(words);
}
