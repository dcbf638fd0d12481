//! `-T fields`: one separator-joined line per frame, tshark's value text, `,` between
//! repeated occurrences, nothing for absent fields.

use super::{Column, FrameContext, FrameMeta, LineWriter};
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
    /// The derived columns by position (empty when there are none).
    derived: Vec<Option<crate::filter::DerivedField>>,
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
            derived: Vec::new(),
            separator,
            header: true,
        }
    }

    /// A writer for `columns`, stored or derived, joined by `separator`.
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::output::{Column, FieldsWriter, LineWriter};
    /// let columns = ["ip.ttl", "tcp.stream"].map(|n| Column::from_name(n).unwrap()).to_vec();
    /// let mut out = Vec::new();
    /// FieldsWriter::with_columns(columns, b',').header(&mut out);
    /// assert_eq!(out, b"ip.ttl,tcp.stream\n");
    /// ```
    #[must_use]
    pub fn with_columns(columns: Vec<Column>, separator: u8) -> Self {
        let mut writer = FieldsWriter::new(columns.iter().map(Column::stored).collect(), separator);
        if columns.iter().any(|c| c.derived().is_some()) {
            writer.derived = columns.iter().map(Column::derived).collect();
        }
        writer
    }

    fn derived_at(&self, i: usize) -> Option<crate::filter::DerivedField> {
        self.derived.get(i).copied().flatten()
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
        self.derived
            .iter()
            .flatten()
            .fold(FieldMask::of(&self.fields), |m, d| d.fields_read(m))
    }

    fn needs_analysis(&self) -> bool {
        self.derived.iter().flatten().any(|d| d.needs_analysis())
    }

    fn header(&self, out: &mut Vec<u8>) {
        if !self.header {
            return;
        }
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            let name = self.derived_at(i).map_or(f.name(), |d| d.name());
            out.extend_from_slice(name.as_bytes());
        }
        out.push(b'\n');
    }

    fn frame(&mut self, meta: &FrameMeta<'_>, frame: &FrameFields, out: &mut Vec<u8>) {
        self.frame_with(meta, frame, &FrameContext::default(), out);
    }

    fn frame_with(
        &mut self,
        _meta: &FrameMeta<'_>,
        frame: &FrameFields,
        context: &FrameContext<'_>,
        out: &mut Vec<u8>,
    ) {
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(self.separator);
            }
            if let Some(d) = self.derived_at(i) {
                d.write(frame, context.packet, context.analysis, out);
                continue;
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
