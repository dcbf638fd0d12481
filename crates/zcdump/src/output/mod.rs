//! Writers that turn a dissected frame into one line of output.
//!
//! All three formats append to a caller-owned byte buffer, so the run loop decides when to
//! flush (and can notice a closed pipe in one place).

pub mod column;
pub mod fields;
pub mod jsonl;
pub mod text;

pub use column::{Column, FrameContext};
pub use fields::FieldsWriter;
pub use jsonl::JsonlWriter;
pub use text::TextWriter;

use crate::fields::{FieldMask, FrameFields};

/// Per-frame data that does not come from dissection.
///
/// ```
/// use zcdump::fields::{Field, FrameFields};
/// use zcdump::output::{FrameMeta, LineWriter, TextWriter};
/// // The time of day in a text line comes from the meta data, not from the fields.
/// let meta = FrameMeta { number: 7, ts_sec: 86_400 + 3_723, ts_nsec: 250_000_000, frame: &[] };
/// let mut out = Vec::new();
/// TextWriter::default().frame(&meta, &FrameFields::default(), &mut out);
/// assert!(out.starts_with(b"01:02:03.250000 "));
/// ```
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
///
/// ```
/// use zcdump::fields::{Field, FieldMask, FrameFields};
/// use zcdump::output::{FrameMeta, LineWriter};
/// /// Prints only the frame number.
/// struct Numbers;
/// impl LineWriter for Numbers {
///     fn fields_read(&self) -> FieldMask {
///         FieldMask::NONE
///     }
///     fn frame(&mut self, meta: &FrameMeta<'_>, _: &FrameFields, out: &mut Vec<u8>) {
///         out.extend_from_slice(format!("{}\n", meta.number).as_bytes());
///     }
/// }
/// let mut out = Vec::new();
/// Numbers.frame(&FrameMeta { number: 3, ..FrameMeta::default() }, &FrameFields::default(), &mut out);
/// assert_eq!(out, b"3\n");
/// ```
pub trait LineWriter {
    /// The fields this writer reads (so the dissector can skip the others).
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::output::{JsonlWriter, LineWriter};
    /// let w = JsonlWriter::new(vec![Field::EthSrc]);
    /// assert!(w.fields_read().contains(Field::EthSrc));
    /// assert!(!w.fields_read().contains(Field::EthDst)); // the dissector may skip it
    /// ```
    fn fields_read(&self) -> FieldMask;

    /// Appends the header, if the format has one.
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::output::{FieldsWriter, JsonlWriter, LineWriter};
    /// let mut out = Vec::new();
    /// JsonlWriter::new(vec![Field::IpTtl]).header(&mut out); // JSON lines have no header
    /// assert!(out.is_empty());
    /// FieldsWriter::new(vec![Field::IpTtl, Field::IpLen], b'\t').header(&mut out);
    /// assert_eq!(out, b"ip.ttl\tip.len\n");
    /// ```
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

    /// Whether the writer prints values of the conversation table (`tcp.stream`,
    /// `frame.time_delta`, ...), so the run loop must feed it every frame.
    ///
    /// ```
    /// use zcdump::output::{Column, FieldsWriter, LineWriter};
    /// let stream = Column::from_name("tcp.stream").ok_or("unknown")?;
    /// assert!(FieldsWriter::with_columns(vec![stream], b'\t').needs_analysis());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn needs_analysis(&self) -> bool {
        false
    }

    /// Whether the writer asks which protocols a frame holds (its path, a protocol's
    /// presence) beyond the fields it reads. A writer that does not (the text lines) lets
    /// the dissector skip protocols none of whose fields it reads
    /// ([`FrameFields::summary_only`]).
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::output::{FieldsWriter, LineWriter, TextWriter};
    /// assert!(FieldsWriter::new(vec![Field::IpTtl], b'\t').reads_protocols());
    /// assert!(!TextWriter::default().reads_protocols());
    /// ```
    fn reads_protocols(&self) -> bool {
        true
    }

    /// [`frame`](Self::frame) with the frame's bytes and analysis at hand, for writers
    /// that print derived fields.
    ///
    /// ```
    /// use zcdump::analysis::FrameStreams;
    /// use zcdump::fields::FrameFields;
    /// use zcdump::output::{Column, FieldsWriter, FrameContext, FrameMeta, LineWriter};
    /// let mut w = FieldsWriter::with_columns(vec![Column::from_name("udp.stream").ok_or("?")?], b'\t');
    /// let analysis = FrameStreams { udp: vec![2], ..FrameStreams::default() };
    /// let context = FrameContext { packet: None, analysis: Some(&analysis) };
    /// let mut out = Vec::new();
    /// w.frame_with(&FrameMeta::default(), &FrameFields::default(), &context, &mut out);
    /// assert_eq!(out, b"2\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn frame_with(
        &mut self,
        meta: &FrameMeta<'_>,
        fields: &FrameFields,
        context: &FrameContext<'_>,
        out: &mut Vec<u8>,
    ) {
        let _ = context;
        self.frame(meta, fields, out);
    }
}
