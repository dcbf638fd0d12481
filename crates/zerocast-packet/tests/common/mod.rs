//! Test layers shared by the integration tests: a configurable builder, its naive
//! reference serializer, and a matching parser.

#![allow(dead_code)]

use proptest::prelude::*;
use zerocast::SplitByteSlice;
use zerocast_packet::{
    BufferView, PacketBuilder, PacketConstraints, ParsablePacket, ParseMetadata, SerializeTarget,
};

/// Proptest settings: few cases under Miri, where every case is slow, and no failure
/// persistence there (it needs the file system, which Miri isolates).
pub fn config() -> ProptestConfig {
    if cfg!(miri) {
        ProptestConfig {
            cases: 4,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    } else {
        ProptestConfig::with_cases(256)
    }
}

/// A layer with arbitrary header/footer lengths and body-length limits. Its header and
/// footer bytes depend on the layer id, their position and a checksum of the final body,
/// so a builder that saw the wrong body, or a byte written twice or never, shows up.
#[derive(Clone, Debug)]
pub struct TestLayer {
    pub id: u8,
    pub header_len: usize,
    pub footer_len: usize,
    pub min_body_len: usize,
    pub max_body_len: usize,
}

pub fn body_sum(body: &[u8]) -> u8 {
    body.iter()
        .enumerate()
        .fold(0u8, |acc, (i, b)| acc.wrapping_add(b ^ (i as u8)))
}

impl TestLayer {
    fn header_byte(&self, i: usize, sum: u8) -> u8 {
        self.id.wrapping_mul(31).wrapping_add(i as u8) ^ sum
    }

    fn footer_byte(&self, i: usize, sum: u8) -> u8 {
        self.id.wrapping_mul(17).wrapping_add(0x80 | i as u8) ^ sum
    }

    /// The naive reference: pad, then concatenate header, body and footer.
    pub fn reference(&self, body: &[u8]) -> Option<Vec<u8>> {
        if body.len() > self.max_body_len {
            return None;
        }
        let mut padded = body.to_vec();
        padded.resize(body.len().max(self.min_body_len), 0);
        let sum = body_sum(&padded);
        let mut out: Vec<u8> = (0..self.header_len)
            .map(|i| self.header_byte(i, sum))
            .collect();
        out.extend_from_slice(&padded);
        out.extend((0..self.footer_len).map(|i| self.footer_byte(i, sum)));
        Some(out)
    }
}

impl PacketBuilder for TestLayer {
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(
            self.header_len,
            self.footer_len,
            self.min_body_len,
            self.max_body_len,
        )
        .expect("strategy generates consistent constraints")
    }

    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        let sum = body_sum(body);
        for (i, b) in target.header.iter_mut().enumerate() {
            *b = self.header_byte(i, sum);
        }
        for (i, b) in target.footer.iter_mut().enumerate() {
            *b = self.footer_byte(i, sum);
        }
    }
}

/// Reference serialization of `body` wrapped in `layers` (innermost first).
pub fn reference(body: &[u8], layers: &[TestLayer]) -> Option<Vec<u8>> {
    let mut packet = body.to_vec();
    for layer in layers {
        packet = layer.reference(&packet)?;
    }
    Some(packet)
}

pub fn layer_strategy() -> impl Strategy<Value = TestLayer> {
    (any::<u8>(), 0usize..6, 0usize..4, 0usize..40, 0usize..80).prop_map(
        |(id, header_len, footer_len, a, b)| TestLayer {
            id,
            header_len,
            footer_len,
            min_body_len: a.min(b),
            max_body_len: if b == 79 { usize::MAX } else { a.max(b) },
        },
    )
}

/// A parsable layer: `[kind, len]` header, `len` body bytes, a one-byte footer (sum of the
/// body), then any trailing bytes as padding (counted as footer for undo).
#[derive(Debug)]
pub struct TlvPacket<B> {
    pub kind: u8,
    pub body: B,
    pub padding_len: usize,
}

#[derive(Debug, PartialEq)]
pub enum TlvError {
    TooShort,
    BadChecksum,
}

impl<B: SplitByteSlice> ParsablePacket<B, ()> for TlvPacket<B> {
    type Error = TlvError;

    fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, TlvError> {
        let kind = bv.take_byte_front().ok_or(TlvError::TooShort)?;
        let len = bv.take_byte_front().ok_or(TlvError::TooShort)?;
        let body_len = usize::from(len);
        let footer_and_padding = bv.len().checked_sub(body_len).ok_or(TlvError::TooShort)?;
        let trailer = bv.take_back(footer_and_padding).ok_or(TlvError::TooShort)?;
        let check = *trailer.first().ok_or(TlvError::TooShort)?;
        let body = bv.into_rest();
        if body_sum(&body) != check {
            return Err(TlvError::BadChecksum);
        }
        Ok(TlvPacket {
            kind,
            body,
            padding_len: footer_and_padding - 1,
        })
    }

    fn parse_metadata(&self) -> ParseMetadata {
        ParseMetadata::from_packet(2, self.body.len(), 1 + self.padding_len)
    }
}

/// Builds `TlvPacket` framing around a body.
#[derive(Debug)]
pub struct TlvBuilder(pub u8);

impl PacketBuilder for TlvBuilder {
    fn constraints(&self) -> PacketConstraints {
        PacketConstraints::new(2, 1, 0, 255).unwrap()
    }

    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        target.header[0] = self.0;
        target.header[1] = u8::try_from(body.len()).unwrap();
        target.footer[0] = body_sum(body);
    }
}
