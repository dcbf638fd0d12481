// Built (not only checked) by trybuild next to the post-monomorphization
// cases, so that their assertions are evaluated: with zero-sized trailing
// elements every trait method that takes the element count builds and uses
// it (zerocopy 0.8 behaves the same way; its `Ref` takes no such type).
use zerocast::*;

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct Dst {
    len: [u8; 2],
    body: [()],
}

fn main() {
    let mut bytes = [1u8, 2, 3];
    let dst = Dst::ref_from_bytes_with_elems(&bytes[..2], 7).unwrap();
    assert_eq!((dst.len, dst.body.len()), ([1, 2], 7));
    let (dst, rest) = Dst::ref_from_prefix_with_elems(&bytes[..], usize::MAX).unwrap();
    assert_eq!((dst.body.len(), rest), (usize::MAX, &[3][..]));
    let (rest, dst) = Dst::try_ref_from_suffix_with_elems(&bytes[..], 0).unwrap();
    assert_eq!((rest, dst.len), (&[1][..], [2, 3]));
    let dst = Dst::mut_from_bytes_with_elems(&mut bytes[1..], 2).unwrap();
    dst.len = [0, 0];
    assert_eq!(bytes, [1, 0, 0]);
    assert!(Dst::ref_from_bytes_with_elems(&bytes[..], 1).is_err());
}
