//! Property tests of nested serialization against a naive reference implementation.

mod common;

use common::{config, layer_strategy, reference, TestLayer};
use proptest::prelude::*;
use zerocast_packet::provider::NoAllocProvider;
use zerocast_packet::{
    Buf, GrowBuffer, InnerPacketBuilder, PacketConstraints, ParseBuffer, SerializeError,
    Serializer, TruncateDirection, TruncatingSerializer,
};

/// Runs `$then` on `$inner` wrapped in every layer of `$layers` (innermost first, up to
/// four). The nesting depth is only known at run time while each depth is its own type,
/// so every depth gets its own arm.
macro_rules! with_layers {
    ($inner:expr, $layers:expr, |$s:ident| $then:expr) => {{
        let l: &[TestLayer] = $layers;
        match l {
            [] => {
                let $s = $inner;
                $then
            }
            [a] => {
                let $s = $inner.wrap_in(a.clone());
                $then
            }
            [a, b] => {
                let $s = $inner.wrap_in(a.clone()).wrap_in(b.clone());
                $then
            }
            [a, b, c] => {
                let $s = $inner
                    .wrap_in(a.clone())
                    .wrap_in(b.clone())
                    .wrap_in(c.clone());
                $then
            }
            [a, b, c, d] => {
                let $s = $inner
                    .wrap_in(a.clone())
                    .wrap_in(b.clone())
                    .wrap_in(c.clone())
                    .wrap_in(d.clone());
                $then
            }
            _ => panic!("at most four layers"),
        }
    }};
}

/// Serializes `body` wrapped in `layers` into a fresh `Vec`.
fn serialize_vec(body: &[u8], layers: &[TestLayer]) -> Option<Vec<u8>> {
    with_layers!(body.into_serializer(), layers, |s| s
        .serialize_vec_outer()
        .ok()
        .map(|b| b.as_ref().to_vec()))
}

/// Serializes the body from a `Buf` prefilled with `fill`, with room `prefix`/`suffix`,
/// without allocating. On failure returns the body held by the serializer handed back.
fn serialize_in_place(
    body: &[u8],
    layers: &[TestLayer],
    fill: u8,
    prefix: usize,
    suffix: usize,
) -> Result<Vec<u8>, Vec<u8>> {
    let mut storage = vec![fill; prefix + body.len() + suffix];
    storage[prefix..prefix + body.len()].copy_from_slice(body);
    let buf = Buf::new(storage, prefix..prefix + body.len());
    with_layers!(buf, layers, |s| match s.serialize_no_alloc_outer() {
        Ok(b) => Ok(b.as_ref().to_vec()),
        Err((_, s)) => Err(innermost_body(s)),
    })
}

/// Peels the layers off a returned serializer to get at the buffer it started from.
trait Innermost {
    fn innermost(self) -> Buf<Vec<u8>>;
}
impl Innermost for Buf<Vec<u8>> {
    fn innermost(self) -> Buf<Vec<u8>> {
        self
    }
}
impl<I: Innermost, B> Innermost for zerocast_packet::Nested<I, B> {
    fn innermost(self) -> Buf<Vec<u8>> {
        self.into_inner().innermost()
    }
}
fn innermost_body<S: Innermost>(s: S) -> Vec<u8> {
    s.innermost().as_ref().to_vec()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn nested_serialization_matches_reference(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        layers in proptest::collection::vec(layer_strategy(), 0..5),
    ) {
        let expected = reference(&body, &layers);
        let got = serialize_vec(&body, &layers);
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn in_place_output_ignores_stale_bytes(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        layers in proptest::collection::vec(layer_strategy(), 0..5),
    ) {
        let expected = reference(&body, &layers);
        let zeros = serialize_in_place(&body, &layers, 0x00, 64, 200).ok();
        let ones = serialize_in_place(&body, &layers, 0xFF, 64, 200).ok();
        prop_assert_eq!(&zeros, &ones);
        prop_assert_eq!(zeros, expected);
    }

    #[test]
    fn reuse_without_room_fails_cleanly_or_matches(
        body in proptest::collection::vec(any::<u8>(), 0..32),
        layers in proptest::collection::vec(layer_strategy(), 0..4),
        prefix in 0usize..16,
        suffix in 0usize..48,
    ) {
        let expected = reference(&body, &layers);
        match serialize_in_place(&body, &layers, 0xAA, prefix, suffix) {
            Ok(bytes) => prop_assert_eq!(Some(bytes), expected),
            // The serializer came back with its body intact (or the packet is invalid).
            Err(returned) => {
                if expected.is_some() {
                    prop_assert_eq!(returned, body);
                }
            }
        }
    }

    #[test]
    fn truncating_serializer_cuts_to_the_limit(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        limit in 0usize..80,
        discard_front in any::<bool>(),
    ) {
        let direction = if discard_front {
            TruncateDirection::DiscardFront
        } else {
            TruncateDirection::DiscardBack
        };
        let out = TruncatingSerializer::new(Buf::new(body.clone(), ..), direction)
            .with_size_limit(limit)
            .serialize_vec_outer()
            .unwrap();
        let keep = body.len().min(limit);
        let expected = if discard_front { &body[body.len() - keep..] } else { &body[..keep] };
        prop_assert_eq!(out.as_ref(), expected);
    }

    #[test]
    fn extreme_constraints_are_errors_not_panics(
        body in proptest::collection::vec(any::<u8>(), 0..16),
        raw in proptest::collection::vec(
            (any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>()),
            0..5,
        ),
    ) {
        // Full-range lengths (overflowing sums included), kept consistent per layer; the
        // no-alloc provider keeps huge-but-valid sizes from reaching the allocator.
        let layers: Vec<TestLayer> = raw
            .into_iter()
            .map(|(id, h, f, a, b)| TestLayer {
                id,
                header_len: h % 64,
                footer_len: if f % 2 == 0 { f % 8 } else { f },
                min_body_len: a.min(b),
                max_body_len: a.max(b),
            })
            .filter(|l| l.header_len.checked_add(l.footer_len).is_some())
            .collect();
        let expected = reference_checked(&body, &layers);
        let got = serialize_in_place(&body, &layers, 0x11, 64, 64).ok();
        if let Some(bytes) = &got {
            prop_assert_eq!(Some(bytes.clone()), expected);
        }
    }

    #[test]
    fn encapsulate_never_panics_and_is_consistent(
        a in layer_strategy(),
        b in layer_strategy(),
        body_len in 0usize..100,
    ) {
        use zerocast_packet::PacketBuilder;
        let (inner, outer) = (a.constraints(), b.constraints());
        if let Some(c) = inner.encapsulate(&outer) {
            prop_assert_eq!(c.header_len(), inner.header_len() + outer.header_len());
            prop_assert_eq!(c.footer_len(), inner.footer_len() + outer.footer_len());
            prop_assert!(c.max_body_len() <= inner.max_body_len());
            // A body the combined constraints accept fits both layers.
            if body_len <= c.max_body_len() {
                let inner_packet = body_len.max(inner.min_body_len())
                    + inner.header_len() + inner.footer_len();
                prop_assert!(inner_packet <= outer.max_body_len());
            }
        }
    }
}

/// The reference, refusing packets that could not exist in memory (only then does it
/// build bytes).
fn reference_checked(body: &[u8], layers: &[TestLayer]) -> Option<Vec<u8>> {
    let mut len = body.len();
    for l in layers {
        if len > l.max_body_len {
            return None;
        }
        len = len
            .max(l.min_body_len)
            .checked_add(l.header_len + l.footer_len)
            .filter(|n| *n <= 1 << 20)?;
    }
    reference(body, layers)
}

#[test]
fn allocation_failure_is_an_error_not_an_abort() {
    let huge = TestLayer {
        id: 3,
        header_len: usize::MAX / 2 + 1,
        footer_len: 0,
        min_body_len: 0,
        max_body_len: usize::MAX,
    };
    let (err, _) = [1u8]
        .into_serializer()
        .wrap_in(huge)
        .serialize_vec_outer()
        .unwrap_err();
    assert!(matches!(err, SerializeError::Alloc(_)));
}

#[test]
fn size_limit_error_returns_the_serializer() {
    let body = [7u8; 20];
    let (err, serializer) = body
        .into_serializer()
        .with_size_limit(10)
        .serialize_vec_outer()
        .unwrap_err();
    assert_eq!(err, SerializeError::SizeLimitExceeded);
    assert_eq!(serializer.into_inner().inner(), &body);
}

#[test]
fn impossible_nesting_is_an_error_not_a_panic() {
    let big_header = TestLayer {
        id: 1,
        header_len: 5,
        footer_len: 0,
        min_body_len: 0,
        max_body_len: usize::MAX,
    };
    let (err, _) = [0u8; 1]
        .into_serializer()
        .wrap_in(big_header)
        .with_size_limit(3)
        .serialize_vec_outer()
        .unwrap_err();
    assert_eq!(err, SerializeError::ConstraintsUnsatisfiable);
}

#[test]
fn ethernet_style_padding_goes_after_the_inner_packet() {
    let eth = TestLayer {
        id: 9,
        header_len: 14,
        footer_len: 0,
        min_body_len: 46,
        max_body_len: 1500,
    };
    let ip = TestLayer {
        id: 4,
        header_len: 20,
        footer_len: 0,
        min_body_len: 0,
        max_body_len: 65515,
    };
    let out = [0xABu8; 4]
        .into_serializer()
        .wrap_in(ip.clone())
        .wrap_in(eth.clone())
        .serialize_vec_outer()
        .unwrap();
    assert_eq!(out.as_ref().len(), 60);
    assert_eq!(&out.as_ref()[34..38], &[0xAB; 4]);
    assert!(out.as_ref()[38..].iter().all(|b| *b == 0));
    assert_eq!(
        Some(out.as_ref().to_vec()),
        reference(&[0xAB; 4], &[ip, eth])
    );
}

#[test]
fn received_buffer_is_reused_without_allocation() {
    let mut storage = [0u8; 64];
    storage[40..44].copy_from_slice(b"ping");
    let layer = TestLayer {
        id: 2,
        header_len: 8,
        footer_len: 2,
        min_body_len: 0,
        max_body_len: 100,
    };
    let out = Buf::new(&mut storage[..], 40..44)
        .wrap_in(layer.clone())
        .serialize_outer(NoAllocProvider)
        .unwrap();
    assert_eq!(out.body_range(), 32..46);
    assert_eq!(Some(out.as_ref().to_vec()), reference(b"ping", &[layer]));
}

#[test]
fn outer_constraints_leave_room_in_the_returned_buffer() {
    let room = PacketConstraints::new(6, 3, 10, usize::MAX).unwrap();
    let out = b"abc".into_serializer().serialize_vec(room).unwrap();
    assert_eq!(out.as_ref(), b"abc");
    assert!(out.prefix_len() >= 6);
    assert!(out.suffix_len() >= 7 + 3);
    assert_eq!(out.len(), 3);
}

/// A layer that writes nothing: whatever its header and footer hold afterwards was
/// written by the framework.
#[derive(Debug)]
struct Silent;

impl zerocast_packet::PacketBuilder for Silent {
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(4, 2, 10, usize::MAX).unwrap()
    }
    fn serialize(&self, _: &mut zerocast_packet::SerializeTarget<'_>, _: &[u8]) {}
}

#[test]
fn the_framework_writes_padding_but_never_header_or_footer_bytes() {
    // Header and footer bytes are the builder's alone (each written once, by it); the
    // framework only zeroes padding. Stale 0xEE bytes survive where the silent builder
    // did not write.
    let mut storage = [0xEEu8; 32];
    storage[8..11].copy_from_slice(b"abc");
    let out = Buf::new(&mut storage[..], 8..11)
        .wrap_in(Silent)
        .serialize_no_alloc_outer()
        .unwrap();
    let bytes = out.as_ref();
    assert_eq!(bytes.len(), 4 + 10 + 2);
    assert_eq!(&bytes[..4], &[0xEE; 4]);
    assert_eq!(&bytes[4..7], b"abc");
    assert_eq!(&bytes[7..14], &[0; 7]);
    assert_eq!(&bytes[14..], &[0xEE; 2]);
}
