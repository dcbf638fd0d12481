// Every form of the reference transmute macros that zerocopy 0.8.64 accepts, written as
// zerocopy code would be (no zerocast-only marker): generic functions, sized to slice DST,
// slice DST to slice DST, and struct DSTs with `KnownLayout`. Building this file is the test.
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unalign};

fn view<Src: IntoBytes + Immutable, Dst: FromBytes + Immutable>(src: &Src) -> &Dst {
    zerocast::transmute_ref!(src)
}

fn view_mut<Src: FromBytes + IntoBytes, Dst: FromBytes + IntoBytes>(src: &mut Src) -> &mut Dst {
    zerocast::transmute_mut!(src)
}

fn try_view<Src: IntoBytes + Immutable, Dst: TryFromBytes + Immutable>(src: &Src) -> Option<&Dst> {
    zerocast::try_transmute_ref!(src).ok()
}

fn try_view_mut<Src: FromBytes + IntoBytes, Dst: TryFromBytes + IntoBytes>(
    src: &mut Src,
) -> Option<&mut Dst> {
    zerocast::try_transmute_mut!(src).ok()
}

fn view_slice<Src: IntoBytes + Immutable + KnownLayout + ?Sized>(src: &Src) -> &[u8] {
    zerocast::transmute_ref!(src)
}

// The derives by path, so this builds with and without zerocast's `derive` feature.
#[derive(
    zerocast_derive::KnownLayout,
    zerocast_derive::FromBytes,
    zerocast_derive::IntoBytes,
    zerocast_derive::Immutable
)]
#[repr(C)]
struct SliceDst<T, U> {
    t: T,
    u: [U],
}

fn main() {
    let word = 0x0102u16.to_be();
    let two: &[u8; 2] = view(&word);
    assert_eq!(two, &[1, 2]);
    let mut word = 0u32;
    let bytes: &mut [u8; 4] = view_mut(&mut word);
    bytes[3] = 1;
    assert_eq!(word.to_ne_bytes()[3], 1);
    assert_eq!(try_view::<u8, bool>(&1), Some(&true));
    let mut raw = 2u8;
    assert!(try_view_mut::<u8, bool>(&mut raw).is_none());
    assert_eq!(view_slice(&[1u16, 2][..]).len(), 4);

    // Sized to slice DST, slice DST to slice DST.
    let pairs: &[[u8; 2]] = zerocast::transmute_ref!(&[1u8, 2, 3, 4]);
    assert_eq!(pairs.len(), 2);
    let words: &[u16] = &[1, 2, 3];
    let bytes: &[u8] = zerocast::transmute_ref!(words);
    assert_eq!(bytes.len(), 6);

    // zerocopy's own example: struct DSTs whose fields are all alignment 1.
    type Src = SliceDst<Unalign<u32>, Unalign<u16>>;
    type Dst = SliceDst<Unalign<u16>, u8>;
    let src = Src::ref_from_bytes(&[0, 1, 2, 3, 4, 5, 6, 7]).unwrap();
    let dst: &Dst = zerocast::transmute_ref!(src);
    assert_eq!(dst.t.as_bytes(), [0, 1]);
    assert_eq!(dst.u, [2, 3, 4, 5, 6, 7]);

    // The try_ forms with slice DSTs, and in `const`.
    let flags: &[bool] = zerocast::try_transmute_ref!(&[1u8, 0][..]).unwrap();
    assert_eq!(flags, [true, false]);
    const B: &[u8; 2] = zerocast::transmute_ref!(&[7u8, 8]);
    assert_eq!(B, &[7, 8]);
}
