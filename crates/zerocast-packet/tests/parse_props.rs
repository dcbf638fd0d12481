//! Property tests of parsing: parse → undo_parse → parse is the identity, and no input
//! makes a parser or cursor panic.

mod common;

use common::{config, TlvBuilder, TlvError, TlvPacket};
use proptest::prelude::*;
use zerocast::byteorder::network_endian::U16;
use zerocast_packet::{
    Buf, BufferView, BufferViewMut, GrowBuffer, GrowBufferMut, InnerPacketBuilder, ParsablePacket,
    ParseBuffer, ParseBufferMut, Serializer,
};

/// Builds a packet of `depth` nested TLV layers around `payload`, plus `padding` trailing
/// bytes (as a link layer would add).
fn build(payload: &[u8], kinds: &[u8], padding: &[u8]) -> Vec<u8> {
    let mut bytes = payload.to_vec();
    for kind in kinds {
        bytes = bytes
            .as_slice()
            .into_serializer()
            .wrap_in(TlvBuilder(*kind))
            .serialize_vec_outer()
            .unwrap()
            .as_ref()
            .to_vec();
    }
    bytes.extend_from_slice(padding);
    bytes
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_undo_parse_is_identity(
        payload in proptest::collection::vec(any::<u8>(), 0..40),
        kinds in proptest::collection::vec(any::<u8>(), 1..4),
        padding in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let packet = build(&payload, &kinds, &padding);
        let mut buf = Buf::new(packet.clone(), ..);
        let mut metas = Vec::new();
        let mut seen = Vec::new();
        for _ in &kinds {
            let p = buf.parse::<TlvPacket<_>>().unwrap();
            seen.push(p.kind);
            metas.push(p.parse_metadata());
        }
        // Outermost layer first on the wire, so the last kind wrapped is parsed first.
        let mut expected_kinds = kinds.clone();
        expected_kinds.reverse();
        prop_assert_eq!(&seen, &expected_kinds);
        prop_assert_eq!(buf.as_ref(), payload.as_slice());
        for meta in metas.into_iter().rev() {
            buf.undo_parse(meta);
        }
        prop_assert_eq!(buf.as_ref(), packet.as_slice());
        // Parsing again gives the same result.
        let again = buf.parse::<TlvPacket<_>>().unwrap();
        prop_assert_eq!(again.kind, expected_kinds[0]);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_failed_parse_consumes_nothing(
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut buf = Buf::new(bytes.clone(), ..);
        match buf.parse::<TlvPacket<_>>() {
            Ok(p) => {
                let meta = p.parse_metadata();
                prop_assert_eq!(meta.header_len() + meta.body_len() + meta.footer_len(),
                    bytes.len());
            }
            Err(_) => prop_assert_eq!(buf.as_ref(), bytes.as_slice()),
        }
        let mut mutable = Buf::new(bytes.clone(), ..);
        let _ = mutable.parse_mut::<TlvPacket<_>>();
    }

    #[test]
    fn lenient_takes_return_what_is_there(
        bytes in proptest::collection::vec(any::<u8>(), 0..32),
        n in 0usize..48,
    ) {
        let mut slice = bytes.as_slice();
        let taken = zerocast_packet::MaybeParsed::take_from_buffer(&mut slice, n);
        prop_assert_eq!(taken.is_complete(), bytes.len() >= n);
        let k = n.min(bytes.len());
        prop_assert_eq!(taken.bytes(), &bytes[..k]);
        prop_assert_eq!(slice, &bytes[k..]);
    }

    #[test]
    fn cursor_takes_are_bounded_and_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..32),
        ops in proptest::collection::vec((0u8..8, 0usize..40), 0..16),
    ) {
        let mut slice = bytes.as_slice();
        let mut view = &mut slice;
        let mut remaining = bytes.len();
        for (op, n) in ops {
            let before = view.len();
            let taken = match op {
                0 => view.take_front(n).map(|b| b.len()),
                1 => view.take_back(n).map(|b| b.len()),
                2 => view.take_byte_front().map(|_| 1),
                3 => view.take_byte_back().map(|_| 1),
                4 => view.take_obj_front::<U16>().map(|_| 2),
                5 => view.take_slice_front::<U16>(n).map(|s| 2 * s.len()),
                6 => view.take_slice_back::<[u8; 3]>(n).map(|s| 3 * s.len()),
                _ => view.peek_obj_front::<U16>().map(|_| 0),
            };
            match taken {
                Some(k) => remaining -= k,
                None => prop_assert_eq!(view.len(), before),
            }
            prop_assert_eq!(view.len(), remaining);
        }
    }
}

#[test]
fn failed_parse_restores_the_body() {
    let mut buf = Buf::new(vec![1u8, 2, 9, 9, 0x00], ..);
    assert_eq!(
        buf.parse::<TlvPacket<_>>().unwrap_err(),
        TlvError::BadChecksum
    );
    assert_eq!(buf.as_ref(), &[1, 2, 9, 9, 0]);
}

#[test]
fn mutable_parse_edits_in_place() {
    let packet = build(b"abc", &[5], &[]);
    let mut buf = Buf::new(packet, ..);
    {
        let p = buf.parse_mut::<TlvPacket<&mut [u8]>>().unwrap();
        p.body.copy_from_slice(b"xyz");
    }
    buf.reset();
    assert_eq!(&buf.as_ref()[2..5], b"xyz");
}

#[test]
fn mutable_cursor_zeroes_and_writes() {
    let mut storage = [0xFFu8; 6];
    let mut slice = &mut storage[..];
    let mut view = &mut slice;
    let mut word = view.take_obj_front_zero::<U16>().unwrap();
    assert_eq!(word.get(), 0);
    word.set(0xBEEF);
    view.write_obj_back(&[1u8, 2]).unwrap();
    assert!(view.write_obj_front(&[0u8; 3]).is_none());
    assert_eq!(view.len(), 2);
    assert_eq!(storage, [0xBE, 0xEF, 0xFF, 0xFF, 1, 2]);
}

#[test]
fn lent_cursor_advances_the_lender() {
    fn take_two<BV: BufferView<B>, B: zerocast::SplitByteSlice>(mut bv: BV) -> Option<B> {
        bv.take_front(2)
    }
    let mut slice = &[1u8, 2, 3][..];
    let mut view = &mut slice;
    assert_eq!(take_two(&mut view), Some(&[1u8, 2][..]));
    assert_eq!(view.into_rest(), &[3]);
}

#[test]
fn zeroing_grows_hide_old_packets() {
    let mut buf = Buf::new([0xEEu8; 8], 4..4);
    buf.grow_front_zero(2);
    buf.grow_back_zero(3);
    assert_eq!(buf.as_ref(), &[0, 0, 0, 0, 0]);
    buf.reset_zero();
    assert_eq!(buf.as_ref(), &[0u8; 8]);
}

#[test]
#[should_panic(expected = "cannot grow 3 bytes into a 2-byte prefix")]
fn growing_past_the_prefix_is_a_documented_panic() {
    let mut buf = Buf::new([0u8; 4], 2..);
    buf.grow_front(3);
}

#[test]
fn slices_parse_layer_by_layer_and_stay_put_on_failure() {
    let packet = build(b"hi", &[1, 2], &[0, 0]);
    let mut bytes = packet.as_slice();
    assert_eq!(bytes.parse::<TlvPacket<_>>().unwrap().kind, 2);
    assert_eq!(bytes.parse::<TlvPacket<_>>().unwrap().kind, 1);
    assert_eq!(bytes, b"hi");
    let before = bytes;
    assert!(bytes.parse::<TlvPacket<_>>().is_err());
    assert_eq!(bytes, before);
}

#[test]
fn forwarding_rewraps_the_body_in_the_received_buffer() {
    // Receive: outer layer kind 7 around an inner packet of kind 1.
    let received = build(b"data", &[1, 7], &[]);
    let mut buf = Buf::new(received, ..);
    let outer = buf.parse::<TlvPacket<_>>().unwrap();
    assert_eq!(outer.kind, 7);
    // Forward: replace the outer layer with kind 9, in the same storage.
    let out = buf
        .wrap_in(TlvBuilder(9))
        .serialize_no_alloc_outer()
        .unwrap();
    assert_eq!(out.as_ref(), build(b"data", &[1, 9], &[]).as_slice());
}

#[test]
fn quoting_a_packet_truncates_it_to_fit() {
    use zerocast_packet::{TruncateDirection, TruncatingSerializer};
    let offending = build(&[0xAB; 40], &[3], &[]);
    let quoted = TruncatingSerializer::new(
        Buf::new(offending.clone(), ..),
        TruncateDirection::DiscardBack,
    )
    .wrap_in(TlvBuilder(11))
    .with_size_limit(20)
    .serialize_vec_outer()
    .unwrap();
    assert_eq!(quoted.as_ref().len(), 20);
    assert_eq!(&quoted.as_ref()[2..19], &offending[..17]);
    let mut check = Buf::new(quoted.as_ref().to_vec(), ..);
    assert_eq!(check.parse::<TlvPacket<_>>().unwrap().kind, 11);
}
