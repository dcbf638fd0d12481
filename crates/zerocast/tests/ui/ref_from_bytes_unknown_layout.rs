// Reference conversions need `KnownLayout` (size and alignment, also of slice DSTs).

struct NoLayout([u8]);

// SAFETY (test only): `[u8]` accepts any bytes; this impl exists to reach the missing bound.
unsafe impl zerocast::TryFromBytes for NoLayout {
    fn is_bit_valid(_: zerocast::Maybe<'_, Self>) -> bool {
        true
    }
}

fn main() {
    let _ = <NoLayout as zerocast::TryFromBytes>::try_ref_from_bytes(&[0u8][..]);
}
