//! Property tests of the layout model over random nestings of `repr(C)`, `packed(N)` and
//! `align(N)` slice DSTs: `max_elems_in` is the exact inverse of `size_for_elems`, sizes are
//! monotone in the element count, every size is a multiple of the alignment, and overflow is
//! reported instead of wrapping.

use core::num::NonZeroUsize;

use proptest::prelude::*;
use zerocast::DstLayout;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 512 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One struct around the layout built so far: leading sized fields, `packed`/`align`.
#[derive(Debug, Clone)]
struct Wrapper {
    leading: Vec<(usize, u32)>, // (size multiple of align, log2 align) of sized fields
    packed: Option<u32>,        // log2 N of packed(N)
    align: Option<u32>,         // log2 N of align(N); never with packed (rustc: E0587)
}

fn wrapper() -> impl Strategy<Value = Wrapper> {
    (
        prop::collection::vec((0usize..4, 0u32..4), 0..3),
        prop::option::of(0u32..4),
        prop::option::of(0u32..6),
    )
        .prop_map(|(leading, packed, align)| Wrapper {
            leading: leading.into_iter().map(|(k, a)| (k << a, a)).collect(),
            align: if packed.is_some() { None } else { align },
            packed,
        })
}

/// A sized field of `size` bytes and alignment `1 << log_align`, as a layout.
fn sized(size: usize, log_align: u32) -> DstLayout {
    let align = NonZeroUsize::new(1 << log_align);
    let mut l = DstLayout::new_zst(align);
    for _ in 0..size {
        l = l.extend(DstLayout::for_type::<u8>(), None);
    }
    l.pad_to_align()
}

fn build(elem_log_align: u32, wrappers: &[Wrapper]) -> DstLayout {
    let mut layout = match elem_log_align {
        0 => DstLayout::for_slice::<u8>(),
        1 => DstLayout::for_slice::<u16>(),
        2 => DstLayout::for_slice::<u32>(),
        _ => DstLayout::for_slice::<[u8; 3]>(),
    };
    for w in wrappers {
        let packed = w.packed.and_then(|p| NonZeroUsize::new(1 << p));
        let mut outer = DstLayout::new_zst(w.align.and_then(|a| NonZeroUsize::new(1 << a)));
        for &(size, a) in &w.leading {
            outer = outer.extend(sized(size, a), packed);
        }
        layout = outer.extend(layout, packed).pad_to_align();
    }
    layout
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn max_elems_inverts_size_exactly(
        elem in 0u32..4,
        wrappers in prop::collection::vec(wrapper(), 0..3),
        len in 0usize..300,
    ) {
        let layout = build(elem, &wrappers);
        let got = layout.max_elems_in(len);
        let brute = (0..=len).rev().find(|&n| layout.size_for_elems(n).is_some_and(|s| s <= len));
        prop_assert_eq!(got, brute);
    }

    #[test]
    fn sizes_are_monotone_aligned_and_never_wrap(
        elem in 0u32..4,
        wrappers in prop::collection::vec(wrapper(), 0..3),
        n in 0usize..200,
        big in (isize::MAX as usize + 1)..usize::MAX,
    ) {
        let layout = build(elem, &wrappers);
        let a = layout.size_for_elems(n).unwrap();
        let b = layout.size_for_elems(n + 1).unwrap();
        prop_assert!(a <= b);
        prop_assert_eq!(a % layout.align(), 0);
        prop_assert_eq!(layout.size_for_elems(big), None);
    }
}
