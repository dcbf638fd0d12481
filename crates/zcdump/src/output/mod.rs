//! Writers that turn a dissected frame into one line of output.
//!
//! All three formats append to a caller-owned byte buffer, so the run loop decides when to
//! flush (and can notice a closed pipe in one place).

pub mod fields;
pub mod jsonl;
pub mod text;

pub use fields::FieldsWriter;
pub use jsonl::JsonlWriter;
pub use text::TextWriter;

use crate::fields::{FieldMask, FrameFields};

/// Per-frame data that does not come from dissection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameMeta<'a> {
    /// 1-based frame number.
    pub number: u64,
    /// Capture time, seconds since the Unix epoch.
    pub ts_sec: u64,
    /// Nanoseconds within the second.
    pub ts_nsec: u32,
    /// The captured bytes, for the text line's application-layer summary (tcpdump's
    /// `HTTP: GET / HTTP/1.1`); may be empty.
    pub frame: &'a [u8],
}

/// Something that prints one line per frame.
pub trait LineWriter {
    /// The fields this writer reads (so the dissector can skip the others).
    fn fields_read(&self) -> FieldMask;

    /// Appends the header, if the format has one.
    fn header(&self, _out: &mut Vec<u8>) {}

    /// Appends the line for one frame (frames come in capture order; a writer may keep
    /// state across them, as tcpdump's relative sequence numbers need).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::output::{FieldsWriter, FrameMeta, LineWriter};
    /// let mut w = FieldsWriter::new(vec![Field::IpTtl], b'\t');
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::IpTtl, 64u8);
    /// let mut out = Vec::new();
    /// w.frame(&FrameMeta::default(), &f, &mut out);
    /// assert_eq!(out, b"64\n");
    /// ```
    fn frame(&mut self, meta: &FrameMeta<'_>, fields: &FrameFields, out: &mut Vec<u8>);
}
