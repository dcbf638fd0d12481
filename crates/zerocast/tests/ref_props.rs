//! Property tests: `Ref`'s constructors against a naive model of "does a `T`
//! fit here", for every length and offset in a buffer. Untrusted lengths and
//! offsets never panic; they succeed exactly when the model says so.

use proptest::prelude::*;
use zerocast::{FromBytes, Ref, SizeError, SplitAt};
use zerocast_derive::*;

/// A slice DST whose size is padded to 4 for most body lengths.
#[derive(FromBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C)]
struct Padded {
    word: u32,
    body: [u8],
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 8 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[repr(C, align(16))]
struct Buf([u8; 64]);

const BUF: Buf = Buf([0xA5; 64]);

fn aligned(addr: usize, align: usize) -> bool {
    addr.is_multiple_of(align)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sized_constructors_match_the_model(off in 0usize..64, len in 0usize..64) {
        let len = len.min(64 - off);
        let bytes = &BUF.0[off..off + len];
        let addr = bytes.as_ptr() as usize;
        let whole = Ref::<_, u32>::from_bytes(bytes);
        prop_assert_eq!(whole.is_ok(), len == 4 && aligned(addr, 4));
        let prefix = Ref::<_, u32>::from_prefix(bytes);
        prop_assert_eq!(prefix.is_ok(), len >= 4 && aligned(addr, 4));
        if let Ok((r, rest)) = prefix {
            prop_assert_eq!(Ref::bytes(&r).as_ptr(), bytes.as_ptr());
            prop_assert_eq!(rest.len(), len - 4);
        }
        let suffix = Ref::<_, u32>::from_suffix(bytes);
        prop_assert_eq!(suffix.is_ok(), len >= 4 && aligned(addr + len - 4, 4));
        if let Ok((rest, r)) = suffix {
            prop_assert_eq!(rest.len(), len - 4);
            prop_assert_eq!(Ref::bytes(&r).as_ptr(), bytes[len - 4..].as_ptr());
        }
        // Alignment-1 types fail only on size, and the error says so.
        let unaligned: Result<Ref<&[u8], [u8; 4]>, SizeError<_, _>> =
            Ref::from_bytes(bytes).map_err(Into::into);
        prop_assert_eq!(unaligned.is_ok(), len == 4);
    }

    #[test]
    fn slice_constructors_match_the_model(off in 0usize..64, len in 0usize..64, count in 0usize..40) {
        let len = len.min(64 - off);
        let bytes = &BUF.0[off..off + len];
        let addr = bytes.as_ptr() as usize;
        let fits = len / 2;
        let whole = Ref::<_, [u16]>::from_bytes(bytes);
        prop_assert_eq!(whole.as_ref().map(|r| r.len()).ok(), (len % 2 == 0 && aligned(addr, 2)).then_some(fits));
        let prefix = Ref::<_, [u16]>::from_prefix(bytes);
        prop_assert_eq!(prefix.as_ref().map(|(r, rest)| (r.len(), rest.len())).ok(),
            aligned(addr, 2).then_some((fits, len % 2)));
        let suffix = Ref::<_, [u16]>::from_suffix(bytes);
        prop_assert_eq!(suffix.as_ref().map(|(rest, r)| (rest.len(), r.len())).ok(),
            aligned(addr + len % 2, 2).then_some((len % 2, fits)));

        let exact = Ref::<_, [u16]>::from_bytes_with_elems(bytes, count);
        prop_assert_eq!(exact.is_ok(), len == 2 * count && aligned(addr, 2));
        let prefix = Ref::<_, [u16]>::from_prefix_with_elems(bytes, count);
        prop_assert_eq!(prefix.is_ok(), 2 * count <= len && aligned(addr, 2));
        let suffix = Ref::<_, [u16]>::from_suffix_with_elems(bytes, count);
        prop_assert_eq!(suffix.is_ok(), 2 * count <= len && aligned(addr + len - 2 * count.min(len / 2), 2));
        // Element counts whose size overflows are size errors, not panics.
        prop_assert!(Ref::<_, [u16]>::from_prefix_with_elems(bytes, usize::MAX - count).is_err());
    }
}

proptest! {
    #![proptest_config(config())]

    /// Splits put the right part right after the left part's last element,
    /// and `via_runtime_check` accepts exactly the splits whose left part
    /// (padding included) ends before the right part starts.
    #[test]
    fn splits_of_a_padded_dst_match_the_model(body in 0usize..40, at in 0usize..48) {
        let total = (4 + body).next_multiple_of(4);
        let p = Padded::ref_from_bytes(&BUF.0[..total]).unwrap();
        let n = p.body.len();
        prop_assert_eq!(n, total - 4);
        let Some(split) = p.split_at(at) else {
            prop_assert!(at > n);
            return Ok(());
        };
        prop_assert!(at <= n);
        let (left, right) = split.via_immutable();
        prop_assert_eq!(left.body.len(), at);
        prop_assert_eq!(right.len(), n - at);
        prop_assert_eq!(right.as_ptr(), p.body[at..].as_ptr());
        let left_end = (left as *const Padded).cast::<u8>() as usize + core::mem::size_of_val(left);
        let disjoint = left_end <= right.as_ptr() as usize;
        let checked = p.split_at(at).unwrap().via_runtime_check();
        prop_assert_eq!(checked.is_ok(), disjoint);
    }
}
