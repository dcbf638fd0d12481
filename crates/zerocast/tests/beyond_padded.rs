//! Padding-aware output: padded structs (nested, generic, aligned) and arrays of them (as
//! fields, nested, or on their own) are written with zeroed padding whatever the buffer
//! held before, and short buffers are reported.

use core::mem::{offset_of, size_of};

use zerocast::beyond::{BufferTooShort, ZeroPadded, ZeroPaddedElements};
#[allow(unused_imports)]
use zerocast_derive::*;

#[derive(ZeroPadded, Clone, Copy)]
#[repr(C)]
struct Record {
    kind: u8,
    value: u32,
    flag: u16,
}

#[derive(ZeroPadded)]
#[repr(C, align(16))]
struct Outer {
    head: u8,
    inner: Record,
    tail: [u16; 3],
}

#[derive(ZeroPadded)]
#[repr(C)]
struct Generic<T> {
    tag: u8,
    value: T,
}

#[derive(ZeroPadded)]
struct RustRepr {
    a: u8,
    b: u64,
}

#[derive(ZeroPadded)]
#[repr(C)]
struct Tuple(u8, u16);

#[derive(ZeroPadded)]
#[repr(C)]
struct WithArrays {
    count: u8,
    records: [Record; 2],
    grid: [[Record; 2]; 3],
    flags: [u8; 3],
}

#[derive(ZeroPadded)]
#[repr(C)]
struct GenericArray<T, const N: usize> {
    tag: u8,
    items: [T; N],
}

/// `record()` as written: 3 bytes of padding after `kind`, 2 at the end.
const RECORD_BYTES: [u8; 12] = [0x11, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0];

fn record() -> Record {
    Record {
        kind: 0x11,
        value: u32::from_ne_bytes([1, 2, 3, 4]),
        flag: u16::from_ne_bytes([5, 6]),
    }
}

#[test]
fn padding_bytes_are_zero_whatever_the_buffer_held() {
    for stale in [0x00u8, 0xAA, 0xFF] {
        let mut out = [stale; 16];
        record().write_zero_padded(&mut out).unwrap();
        assert_eq!(&out[..12], &[0x11, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0]);
        assert_eq!(
            &out[12..],
            &[stale; 4],
            "bytes after the value are untouched"
        );
    }
}

#[test]
fn nested_padded_struct_is_padded_recursively() {
    let outer = Outer {
        head: 9,
        inner: record(),
        tail: [u16::from_ne_bytes([7, 8]); 3],
    };
    let bytes: [u8; 32] = outer.to_zero_padded_array();
    assert_eq!(size_of::<Outer>(), 32);
    let inner_at = offset_of!(Outer, inner);
    let tail_at = offset_of!(Outer, tail);
    assert_eq!(bytes[0], 9);
    assert!(bytes[1..inner_at].iter().all(|&b| b == 0));
    assert_eq!(
        &bytes[inner_at..inner_at + 12],
        &[0x11, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0]
    );
    assert_eq!(&bytes[tail_at..tail_at + 6], &[7, 8, 7, 8, 7, 8]);
    assert!(bytes[tail_at + 6..].iter().all(|&b| b == 0));
}

#[test]
fn generic_and_rust_repr_structs() {
    let g: [u8; 8] = Generic {
        tag: 1,
        value: 2u32.to_be(),
    }
    .to_zero_padded_array();
    assert_eq!(g, [1, 0, 0, 0, 0, 0, 0, 2]);
    let r = RustRepr { a: 3, b: u64::MAX };
    let bytes: [u8; 16] = r.to_zero_padded_array();
    let a_at = offset_of!(RustRepr, a);
    let b_at = offset_of!(RustRepr, b);
    assert_eq!(bytes[a_at], 3);
    assert_eq!(&bytes[b_at..b_at + 8], &[0xFF; 8]);
    assert_eq!(bytes.iter().filter(|&&b| b != 0).count(), 9);
    let t: [u8; 4] = Tuple(1, u16::from_ne_bytes([2, 3])).to_zero_padded_array();
    assert_eq!(t, [1, 0, 2, 3]);
}

#[test]
fn short_buffers_are_reported_and_left_untouched() {
    for len in 0..12 {
        let mut out = vec![0xAAu8; len];
        assert_eq!(
            record().write_zero_padded(&mut out),
            Err(BufferTooShort {
                needed: 12,
                available: len
            })
        );
        assert!(out.iter().all(|&b| b == 0xAA));
    }
}

#[test]
fn padding_free_types_use_their_bytes() {
    let mut out = [0u8; 6];
    [1u16, 2, 3].write_zero_padded(&mut out).unwrap();
    assert_eq!(out, [1u16, 2, 3].map(u16::to_ne_bytes).concat()[..]);
    let slice: &[u8] = &[4, 5];
    slice.write_zero_padded(&mut out).unwrap();
    assert_eq!(&out[..2], &[4, 5]);
}

#[test]
fn array_of_padded_structs_is_written_element_by_element() {
    for stale in [0x00u8, 0xAA, 0xFF] {
        let mut out = [stale; 40];
        [record(); 3].write_zero_padded_elements(&mut out).unwrap();
        assert_eq!(&out[..36], &RECORD_BYTES.repeat(3)[..]);
        assert_eq!(
            &out[36..],
            &[stale; 4],
            "bytes after the array are untouched"
        );
    }
    let empty: [Record; 0] = [];
    let mut out = [0xAAu8; 2];
    empty.write_zero_padded_elements(&mut out).unwrap();
    assert_eq!(out, [0xAA; 2]);
}

#[test]
fn nested_arrays_are_written_after_flattening() {
    let grid = [[record(); 2]; 2];
    let mut out = [0xAAu8; 48];
    grid.as_flattened()
        .write_zero_padded_elements(&mut out)
        .unwrap();
    assert_eq!(&out[..], &RECORD_BYTES.repeat(4)[..]);
}

#[test]
fn array_fields_and_nested_array_fields_have_zeroed_padding() {
    let value = WithArrays {
        count: 7,
        records: [record(); 2],
        grid: [[record(); 2]; 3],
        flags: [0xF1, 0xF2, 0xF3],
    };
    assert_eq!(size_of::<WithArrays>(), 4 + 24 + 72 + 4);
    for stale in [0xAAu8, 0xFF] {
        let mut out = [stale; 104];
        value.write_zero_padded(&mut out).unwrap();
        let mut expected = vec![7, 0, 0, 0];
        expected.extend(RECORD_BYTES.repeat(2 + 6));
        expected.extend([0xF1, 0xF2, 0xF3, 0]);
        assert_eq!(out.to_vec(), expected, "stale byte {stale:#x}");
    }
    let bytes: [u8; 104] = value.to_zero_padded_array();
    assert_eq!(bytes[offset_of!(WithArrays, grid)..][..12], RECORD_BYTES);
}

#[test]
fn generic_array_fields_need_only_the_element_to_be_zero_padded() {
    let padded = GenericArray {
        tag: 1,
        items: [record(); 2],
    };
    let mut out = [0xAAu8; 28];
    padded.write_zero_padded(&mut out).unwrap();
    assert_eq!(&out[..4], &[1, 0, 0, 0]);
    assert_eq!(&out[4..], &RECORD_BYTES.repeat(2)[..]);
    let plain: [u8; 4] = GenericArray {
        tag: 2,
        items: [3u8, 4, 5],
    }
    .to_zero_padded_array();
    assert_eq!(plain, [2, 3, 4, 5]);
}

#[test]
fn short_buffers_for_arrays_are_reported_and_left_untouched() {
    for len in [0, 11, 12, 35] {
        let mut out = vec![0xAAu8; len];
        assert_eq!(
            [record(); 3].write_zero_padded_elements(&mut out),
            Err(BufferTooShort {
                needed: 36,
                available: len
            })
        );
        assert!(out.iter().all(|&b| b == 0xAA));
    }
    let value = WithArrays {
        count: 1,
        records: [record(); 2],
        grid: [[record(); 2]; 3],
        flags: [0; 3],
    };
    let mut out = [0xAAu8; 103];
    assert_eq!(
        value.write_zero_padded(&mut out),
        Err(BufferTooShort {
            needed: 104,
            available: 103
        })
    );
    assert!(out.iter().all(|&b| b == 0xAA));
}
