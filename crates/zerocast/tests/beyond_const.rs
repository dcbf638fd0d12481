//! The `const` conversions: every success and `None` path, evaluated both at compile time
//! and at run time (so Miri checks the run-time path).

use zerocast::beyond::const_convert::*;
use zerocast::byteorder::big_endian::U32;

const PACKET: [u8; 6] = [0, 0, 0, 7, 0xAA, 0xBB];
const LEN: u32 = match ref_from_prefix::<U32>(&PACKET) {
    Some((len, _)) => len.get(),
    None => 0,
};

#[test]
fn compile_time_values() {
    assert_eq!(LEN, 7);
    const TAIL: Option<(&[u8], &[u8; 2])> = ref_from_suffix(&PACKET);
    assert_eq!(TAIL, Some((&PACKET[..4], &[0xAA, 0xBB])));
    const BYTES: &[u8] = as_bytes(&U32::new(0x0102_0304));
    assert_eq!(BYTES, &[1, 2, 3, 4]);
}

#[test]
fn reference_conversions_check_sizes() {
    let bytes = [1u8, 2, 3];
    assert_eq!(ref_from_bytes::<[u8; 3]>(&bytes), Some(&[1, 2, 3]));
    assert_eq!(ref_from_bytes::<[u8; 2]>(&bytes), None);
    assert_eq!(ref_from_bytes::<[u8; 4]>(&bytes), None);
    assert_eq!(ref_from_prefix::<[u8; 4]>(&bytes), None);
    assert_eq!(ref_from_suffix::<[u8; 4]>(&bytes), None);
    assert_eq!(
        ref_from_prefix::<[u8; 3]>(&bytes),
        Some((&[1, 2, 3], &[][..]))
    );
    assert_eq!(ref_from_suffix::<()>(&bytes), Some((&bytes[..], &())));
}

#[test]
fn slices_need_whole_elements() {
    assert_eq!(
        slice_ref_from_bytes::<U32>(&PACKET[..4]).map(<[U32]>::len),
        Some(1)
    );
    assert!(slice_ref_from_bytes::<U32>(&PACKET).is_none());
    assert_eq!(slice_ref_from_bytes::<()>(&[]).map(<[()]>::len), Some(0));
    assert!(slice_ref_from_bytes::<()>(&[1]).is_none());
    assert_eq!(
        slice_as_bytes(&[U32::new(1), U32::new(2)]),
        &[0, 0, 0, 1, 0, 0, 0, 2]
    );
}

#[test]
fn reads_work_at_every_alignment() {
    let bytes = [9u8, 1, 0, 0, 0, 2, 0, 0, 0];
    for start in 0..=4 {
        let word = read_from_bytes::<u32>(&bytes[start..start + 4]);
        assert_eq!(
            word,
            Some(u32::from_ne_bytes(
                bytes[start..start + 4].try_into().unwrap()
            ))
        );
    }
    assert_eq!(read_from_bytes::<u32>(&bytes[..3]), None);
    assert_eq!(read_from_prefix::<u32>(&bytes[..3]), None);
    assert_eq!(read_from_suffix::<u32>(&bytes[..3]), None);
    assert_eq!(
        read_from_prefix::<u32>(&bytes[1..]),
        Some((u32::from_ne_bytes([1, 0, 0, 0]), &bytes[5..]))
    );
    assert_eq!(
        read_from_suffix::<u32>(&bytes),
        Some((&bytes[..5], u32::from_ne_bytes([2, 0, 0, 0])))
    );
}

#[test]
fn mutable_view_and_zeroed_values() {
    let mut bytes = [0u8; 4];
    let word = mut_from_bytes::<U32>(&mut bytes).unwrap();
    word.set(0xDEAD_BEEF);
    assert_eq!(bytes, [0xDE, 0xAD, 0xBE, 0xEF]);
    assert!(mut_from_bytes::<U32>(&mut bytes[..3]).is_none());
    assert_eq!(new_zeroed::<[u16; 3]>(), [0; 3]);
    assert_eq!(new_zeroed::<Option<core::num::NonZeroU8>>(), None);
}
