//! `-T fields`: one separator-joined line per frame, tshark's value text, `,` between
//! repeated occurrences, nothing for absent fields.

use super::{FrameMeta, LineWriter};
use crate::fields::format::write_frame_value;
use crate::fields::{Field, FieldMask, FrameFields};

/// Prints the chosen fields of each frame.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Value};
/// use zcdump::output::{FieldsWriter, FrameMeta, LineWriter};
/// let mut w = FieldsWriter::new(vec![Field::IpSrc, Field::TcpSrcport], b'\t');
/// let mut f = FrameFields::default();
/// f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 2]));
/// f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 1]));
/// let mut out = Vec::new();
/// w.header(&mut out);
/// w.frame(&FrameMeta::default(), &f, &mut out);
/// assert_eq!(out, b"ip.src\ttcp.srcport\n10.77.0.2,10.77.0.1\t\n");
/// ```
#[derive(Debug, Clone)]
pub struct FieldsWriter {
    fields: Vec<Field>,
    separator: u8,
    header: bool,
}

impl FieldsWriter {
    /// A writer for `fields` joined by `separator`; its [`header`](LineWriter::header) prints
    /// the field names unless turned off with [`with_header(false)`](Self::with_header).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::output::{FieldsWriter, FrameMeta, LineWriter};
    /// let mut w = FieldsWriter::new(vec![Field::IpTtl, Field::IpLen], b',');
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::IpTtl, 64u8);
    /// f.push_uint(Field::IpLen, 84u16);
    /// let mut out = Vec::new();
    /// w.frame(&FrameMeta::default(), &f, &mut out);
    /// assert_eq!(out, b"64,84\n");
    /// ```
    #[must_use]
    pub fn new(fields: Vec<Field>, separator: u8) -> Self {
        FieldsWriter {
            fields,
            separator,
            header: true,
        }
    }

    /// Whether [`header`](LineWriter::header) prints the field names (`-E header=y`).
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::output::{FieldsWriter, LineWriter};
    /// let mut out = Vec::new();
    /// FieldsWriter::new(vec![Field::IpTtl], b'\t').with_header(true).header(&mut out);
    /// assert_eq!(out, b"ip.ttl\n");
    /// out.clear();
    /// FieldsWriter::new(vec![Field::IpTtl], b'\t').with_header(false).header(&mut out);
    /// assert!(out.is_empty());
    /// ```
    #[must_use]
    pub fn with_header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }
}

impl LineWriter for FieldsWriter {
    fn fields_read(&self) -> FieldMask {
        FieldMask::of(&self.fields)
    }

    fn header(&self, out: &mut Vec<u8>) {
        if !self.header {
            return;
        }
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            out.extend_from_slice(f.name().as_bytes());
        }
        out.push(b'\n');
    }

    fn frame(&mut self, _meta: &FrameMeta<'_>, frame: &FrameFields, out: &mut Vec<u8>) {
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            let mut first = true;
            for (f, v) in frame.entries() {
                if f == field {
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    write_frame_value(out, frame, *f, *v);
                }
            }
        }
        out.push(b'\n');
    }
}
