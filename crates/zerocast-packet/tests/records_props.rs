//! Property tests of record sequences: framing of all four option layouts on arbitrary
//! bytes, strict/lenient agreement, and build → parse round trips (aligned included).

mod common;

use common::config;
use proptest::prelude::*;
use zerocast_packet::records::builder::write_ipv6_padding;
use zerocast_packet::records::options::{
    Ipv4OptionLayout, Ipv6OptionLayout, NdpOptionLayout, OptionBuilder, OptionLayout,
    OptionSequenceBuilder, RawOption, RawOptions, TcpOptionLayout,
};
use zerocast_packet::records::{
    AlignedRecordBuilder, AlignedRecordSequenceBuilder, RecordBuilder, Records, RecordsRaw,
};
use zerocast_packet::InnerPacketBuilder;

/// Parses with both forms and checks that they agree.
fn check_layout<L: OptionLayout>(bytes: &[u8]) -> Result<(), TestCaseError> {
    let strict = Records::<_, RawOptions<L>>::parse(bytes);
    let lenient = RecordsRaw::<_, RawOptions<L>>::parse(bytes);
    match &strict {
        Ok(records) => {
            prop_assert!(lenient.error().is_none());
            prop_assert!(lenient.rest().is_empty());
            let a: Vec<RawOption<'_>> = records.iter().collect();
            let b: Vec<RawOption<'_>> = lenient.valid().iter().collect();
            prop_assert_eq!(a, b);
        }
        Err(e) => {
            prop_assert_eq!(lenient.error(), Some(e));
            // The valid prefix on its own parses strictly.
            let prefix = lenient.valid().bytes();
            prop_assert!(Records::<_, RawOptions<L>>::parse(prefix).is_ok());
            prop_assert_eq!(prefix.len() + lenient.rest().len(), bytes.len());
            // The error points at the first byte after the valid prefix.
            prop_assert_eq!(e.offset(), prefix.len());
        }
    }
    Ok(())
}

#[derive(Clone, Debug)]
struct Opt<L> {
    kind: u8,
    value: Vec<u8>,
    align: (usize, usize),
    _layout: core::marker::PhantomData<L>,
}

impl<L: OptionLayout> OptionBuilder for Opt<L> {
    type Layout = L;
    fn kind(&self) -> u8 {
        self.kind
    }
    fn value_len(&self) -> usize {
        self.value.len()
    }
    fn serialize_value(&self, data: &mut [u8]) {
        data.copy_from_slice(&self.value)
    }
}

impl RecordBuilder for Opt<Ipv6OptionLayout> {
    fn serialized_len(&self) -> usize {
        self.option_len()
    }
    fn serialize_into(&self, buf: &mut [u8]) {
        self.serialize_option(buf)
    }
}

impl AlignedRecordBuilder for Opt<Ipv6OptionLayout> {
    fn alignment_requirement(&self) -> (usize, usize) {
        self.align
    }
    fn serialize_padding(buf: &mut [u8]) {
        write_ipv6_padding(buf)
    }
}

/// Options whose kinds are not the layout's one-byte or padding kinds.
fn opts<L: OptionLayout + core::fmt::Debug>(
    max_value: usize,
) -> impl Strategy<Value = Vec<Opt<L>>> {
    let opt = (
        2u8..=255,
        proptest::collection::vec(any::<u8>(), 0..max_value),
        (1usize..9, 0usize..8),
    )
        .prop_map(|(kind, value, align)| Opt {
            kind,
            value,
            align,
            _layout: core::marker::PhantomData,
        });
    proptest::collection::vec(opt, 0..6)
}

fn round_trip<L: OptionLayout>(options: &[Opt<L>]) -> Result<(), TestCaseError> {
    let builder = OptionSequenceBuilder::new(options.iter());
    let mut bytes = vec![0xEE; builder.bytes_len()];
    builder.serialize(&mut bytes);
    let parsed = Records::<_, RawOptions<L>>::parse(&bytes[..]).unwrap();
    let got: Vec<(u8, Vec<u8>)> = parsed.iter().map(|o| (o.kind, o.data.to_vec())).collect();
    let want: Vec<(u8, Vec<u8>)> = options
        .iter()
        .map(|o| {
            let mut v = o.value.clone();
            // NDP values are zero-padded to the 8-byte unit.
            v.resize(o.option_len() - 2, 0);
            (o.kind, v)
        })
        .collect();
    prop_assert_eq!(got, want);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_layout_frames_arbitrary_bytes_without_panicking(
        bytes in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        check_layout::<Ipv4OptionLayout>(&bytes)?;
        check_layout::<TcpOptionLayout>(&bytes)?;
        check_layout::<Ipv6OptionLayout>(&bytes)?;
        check_layout::<NdpOptionLayout>(&bytes)?;
    }

    #[test]
    fn tcp_options_round_trip(options in opts::<TcpOptionLayout>(20)) {
        round_trip(&options)?;
    }

    #[test]
    fn ndp_options_round_trip(options in opts::<NdpOptionLayout>(30)) {
        round_trip(&options)?;
    }

    #[test]
    fn aligned_ipv6_options_start_aligned_and_round_trip(
        options in opts::<Ipv6OptionLayout>(12),
    ) {
        // Kind 1 is PadN, which parsing skips; keep the generated kinds distinct from it.
        let options: Vec<_> = options.into_iter().filter(|o| o.kind != 1).collect();
        let seq = AlignedRecordSequenceBuilder::new(2, options.iter());
        let len = seq.padded_len(8);
        let mut bytes = vec![0xEE; len];
        seq.serialize(&mut bytes);
        prop_assert_eq!((2 + len) % 8, 0);
        let parsed = Records::<_, RawOptions<Ipv6OptionLayout>>::parse(&bytes[..]).unwrap();
        let got: Vec<(u8, Vec<u8>)> = parsed.iter().map(|o| (o.kind, o.data.to_vec())).collect();
        let want: Vec<(u8, Vec<u8>)> = options.iter().map(|o| (o.kind, o.value.clone())).collect();
        prop_assert_eq!(got, want);
        // Each option sits at an offset satisfying its alignment requirement.
        let mut offset = 0;
        let mut next = options.iter();
        while offset < bytes.len() {
            match bytes[offset] {
                0 => offset += 1,
                1 => offset += 2 + usize::from(bytes[offset + 1]),
                _ => {
                    let o = next.next().unwrap();
                    let (x, y) = o.align;
                    if x > 1 {
                        prop_assert_eq!((2 + offset) % x, y % x);
                    }
                    offset += o.option_len();
                }
            }
        }
    }

    #[test]
    fn ipv6_padding_of_any_length_parses_as_nothing(len in 0usize..600) {
        let mut bytes = vec![0xEE; len];
        write_ipv6_padding(&mut bytes);
        let parsed = Records::<_, RawOptions<Ipv6OptionLayout>>::parse(&bytes[..]).unwrap();
        prop_assert_eq!(parsed.iter().count(), 0);
    }
}

#[test]
fn end_of_options_ends_the_list_and_ignores_the_rest() {
    let bytes = [1u8, 0, 0xFF, 0xFF];
    let parsed = Records::<_, RawOptions<Ipv4OptionLayout>>::parse(&bytes[..]).unwrap();
    assert_eq!(parsed.iter().count(), 0);
}

#[test]
fn framing_errors_are_reported_with_the_kind() {
    use zerocast_packet::records::options::OptionFramingError;
    let bad_len = Records::<_, RawOptions<TcpOptionLayout>>::parse(&[2u8, 1][..]).unwrap_err();
    assert_eq!(
        bad_len,
        OptionFramingError::BadLength {
            kind: 2,
            len: 1,
            offset: 0
        }
    );
    let zero_ndp = Records::<_, RawOptions<NdpOptionLayout>>::parse(&[1u8, 0][..]).unwrap_err();
    assert_eq!(
        zero_ndp,
        OptionFramingError::BadLength {
            kind: 1,
            len: 0,
            offset: 0
        }
    );
    // Pad1, a 3-byte PadN, then a truncated option at offset 4 (+ base offset 40).
    let bytes = [0u8, 1, 1, 0, 5];
    let truncated =
        Records::<_, RawOptions<Ipv6OptionLayout>>::parse_with_context(&bytes[..], 40).unwrap_err();
    assert_eq!(
        truncated,
        OptionFramingError::Truncated {
            kind: 5,
            offset: 44
        }
    );
}
