//! Runtime behaviour of two layouts the token analysis cannot see through:
//! structs whose last field is another dynamically sized type (`inner:
//! Inner`), and generic enums deriving `IntoBytes`. The derives must agree
//! with rustc's `size_of_val`, check the validity of every nested field, and
//! view values as exactly their bytes. These run under Miri.

#![allow(dead_code)]

use core::mem::size_of_val;

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unaligned};

/// A count and that many flags: a DST whose elements need validation.
#[derive(KnownLayout, Immutable, FromZeros, IntoBytes, Unaligned, Debug)]
#[repr(C)]
struct FlagList {
    count: u8,
    flags: [bool],
}

/// A frame whose last field is the DST above.
#[derive(KnownLayout, Immutable, FromZeros, IntoBytes, Unaligned, Debug)]
#[repr(C)]
struct Frame {
    kind: u8,
    list: FlagList,
}

/// Three levels: the last field's sizedness is again invisible to the derive.
#[derive(KnownLayout, Immutable, TryFromBytes, IntoBytes, Debug)]
#[repr(C)]
struct Envelope {
    version: bool,
    frame: Frame,
}

/// An aligned nested DST: `u16` elements after a `u16` length.
#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Debug)]
#[repr(C)]
struct Words {
    len: u16,
    data: [u16],
}

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Debug)]
#[repr(C)]
struct WordFrame {
    tag: [u8; 2],
    words: Words,
}

/// A validator on a struct ending in a nested DST: it sees the whole value.
#[derive(KnownLayout, Immutable, TryFromBytes, Debug)]
#[zerocast(validate = count_matches)]
#[repr(C)]
struct CheckedFrame {
    version: u8,
    frame: Frame,
}

fn count_matches(c: &CheckedFrame) -> Result<(), &'static str> {
    if usize::from(c.frame.list.count) == c.frame.list.flags.len() {
        Ok(())
    } else {
        Err("count does not match the flags")
    }
}

/// A sized last field that is not `KnownLayout`: checked through `size_of`.
#[derive(Immutable, TryFromBytes, IntoBytes, Debug, PartialEq)]
#[repr(transparent)]
struct Switch(bool);

#[derive(Immutable, TryFromBytes, IntoBytes, Debug, PartialEq)]
#[repr(C)]
struct Panel {
    id: u8,
    switch: Switch,
}

#[test]
fn nested_dst_validates_every_element_of_the_inner_slice() {
    let frame = Frame::try_ref_from_bytes(&[7, 3, 1, 0, 1][..]).unwrap();
    assert_eq!((frame.kind, frame.list.count), (7, 3));
    assert_eq!(&frame.list.flags, &[true, false, true]);
    assert_eq!(frame.as_bytes(), &[7, 3, 1, 0, 1]);
    assert_eq!(size_of_val(frame), 5);
    for bad in [
        &[7u8, 3, 2][..],
        &[7, 3, 1, 0, 255][..],
        &[0, 0, 0, 0, 0, 0, 9][..],
    ] {
        assert!(Frame::try_ref_from_bytes(bad).is_err(), "{bad:?}");
    }
    // The nested count is data, not a length: any value is valid.
    let empty = Frame::try_ref_from_bytes(&[1, 200][..]).unwrap();
    assert!(empty.list.flags.is_empty());
    assert!(
        Frame::try_ref_from_bytes(&[1][..]).is_err(),
        "too short for the header"
    );
}

#[test]
fn validators_run_on_structs_ending_in_a_nested_dst() {
    assert!(CheckedFrame::try_ref_from_bytes(&[1, 7, 2, 1, 0][..]).is_ok());
    assert!(
        CheckedFrame::try_ref_from_bytes(&[1, 7, 3, 1, 0][..]).is_err(),
        "validator"
    );
    assert!(
        CheckedFrame::try_ref_from_bytes(&[1, 7, 2, 1, 5][..]).is_err(),
        "bit validity"
    );
}

#[test]
fn nested_dst_sizes_match_rustc_for_every_count() {
    let storage = [0u16; 16];
    let bytes = storage.as_bytes();
    for n in 0..8usize {
        let size = Frame::size_for_metadata(n).unwrap();
        assert_eq!(size, 2 + n);
        let frame = Frame::try_ref_from_bytes(&bytes[..size]).unwrap();
        assert_eq!((frame.list.flags.len(), size_of_val(frame)), (n, size));
        let size = WordFrame::size_for_metadata(n).unwrap();
        assert_eq!(size, 4 + 2 * n);
        let words = WordFrame::ref_from_bytes(&bytes[..size]).unwrap();
        assert_eq!((words.words.data.len(), size_of_val(words)), (n, size));
        assert_eq!(words.as_bytes(), &bytes[..size]);
    }
}

#[test]
fn three_levels_of_nesting_are_validated() {
    let env = Envelope::try_ref_from_bytes(&[1, 9, 2, 0, 1][..]).unwrap();
    assert!(env.version);
    assert_eq!(&env.frame.list.flags, &[false, true]);
    assert_eq!(env.as_bytes(), &[1, 9, 2, 0, 1]);
    assert!(
        Envelope::try_ref_from_bytes(&[2, 9, 2, 0, 1][..]).is_err(),
        "bad bool at the top"
    );
    assert!(
        Envelope::try_ref_from_bytes(&[1, 9, 2, 0, 3][..]).is_err(),
        "bad bool at the bottom"
    );
}

#[test]
fn nested_dst_from_zeros_and_mutation_keep_the_bytes() {
    let mut boxed = Frame::new_box_zeroed_with_elems(3).unwrap();
    assert_eq!(boxed.as_bytes(), &[0; 5]);
    boxed.list.flags[1] = true;
    boxed.kind = 4;
    assert_eq!(boxed.as_bytes(), &[4, 0, 0, 1, 0]);
}

#[test]
fn sized_last_field_without_known_layout_is_checked_in_place() {
    assert_eq!(
        Panel::try_read_from_bytes(&[5, 1]),
        Ok(Panel {
            id: 5,
            switch: Switch(true)
        })
    );
    assert!(Panel::try_read_from_bytes(&[5, 2]).is_err());
    let panel = Panel {
        id: 3,
        switch: Switch(false),
    };
    assert_eq!(panel.as_bytes(), &[3, 0]);
}

/// A generic message: every variant is the tag, one `T` and one byte.
#[derive(KnownLayout, Immutable, TryFromBytes, IntoBytes, Unaligned, Debug, PartialEq)]
#[repr(u8)]
enum Message<T> {
    Ping(T, u8) = 1,
    Pong(u8, T) = 2,
}

/// `repr(C, i8)`, two parameters appearing in different orders.
#[derive(Immutable, IntoBytes, Debug)]
#[repr(C, i8)]
enum Pair<A, B> {
    Forward(A, B),
    Backward(B, A),
    Both { first: A, second: B } = -1,
}

#[test]
fn generic_enums_are_exactly_their_bytes() {
    let ping = Message::Ping([9u8, 8], 7);
    assert_eq!(ping.as_bytes(), &[1, 9, 8, 7]);
    assert_eq!(Message::Pong(7, U16::new(0x0102)).as_bytes(), &[2, 7, 1, 2]);
    assert_eq!(
        Message::<[u8; 2]>::try_read_from_bytes(&[1, 9, 8, 7]),
        Ok(ping)
    );
    assert!(Message::<[u8; 2]>::try_read_from_bytes(&[3, 9, 8, 7]).is_err());
    let both: Pair<u8, [u8; 3]> = Pair::Both {
        first: 1,
        second: [2, 3, 4],
    };
    assert_eq!(both.as_bytes(), &[0xff, 1, 2, 3, 4]);
    assert_eq!(Pair::<u8, u8>::Backward(5, 6).as_bytes(), &[1, 5, 6]);
}

/// Every variant of an accepted generic enum fills the whole enum, for each
/// instantiation: the size rustc gives equals the tag plus any one variant's
/// fields (so no variant ends early and nothing pads between fields).
#[test]
fn generic_enum_instances_have_no_padding() {
    use core::mem::size_of;
    use zerocast::byteorder::network_endian::U32;
    fn message<T: IntoBytes + Immutable + Unaligned>() {
        assert_eq!(size_of::<Message<T>>(), 1 + size_of::<T>() + 1);
    }
    fn pair<A: IntoBytes + Immutable + Unaligned, B: IntoBytes + Immutable + Unaligned>() {
        assert_eq!(size_of::<Pair<A, B>>(), 1 + size_of::<A>() + size_of::<B>());
    }
    message::<u8>();
    message::<()>();
    message::<[u8; 3]>();
    message::<U16>();
    message::<[U32; 3]>();
    message::<[[u8; 2]; 2]>();
    pair::<u8, u8>();
    pair::<(), [u8; 5]>();
    pair::<U32, [U16; 2]>();
}
