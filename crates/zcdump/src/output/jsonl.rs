//! `-T jsonl`: one JSON object per frame, keyed by tshark field names. A field that occurs
//! once maps to its value text; a repeated field maps to an array of value texts.

use super::{Column, FrameContext, FrameMeta, LineWriter};
use crate::fields::format::{write_json_escaped, write_value};
use crate::fields::{Field, FieldMask, FrameFields, Kind, Value};

/// Prints each frame as a JSON object on one line.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Value};
/// use zcdump::output::{JsonlWriter, FrameMeta, LineWriter};
/// let mut w = JsonlWriter::new(vec![Field::FrameNumber, Field::IpSrc, Field::TcpSrcport]);
/// let mut f = FrameFields::default();
/// f.push_uint(Field::FrameNumber, 1u8);
/// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
/// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 2]));
/// let mut out = Vec::new();
/// w.frame(&FrameMeta::default(), &f, &mut out);
/// assert_eq!(out, br#"{"frame.number":"1","ip.src":["10.0.0.1","10.0.0.2"]}
/// "#);
/// ```
#[derive(Debug, Clone)]
pub struct JsonlWriter {
    fields: Vec<Field>,
    /// The derived columns by position (empty when there are none).
    derived: Vec<Option<crate::filter::DerivedField>>,
    /// Scratch space for a derived column's values.
    scratch: Vec<u8>,
}

impl JsonlWriter {
    /// A writer for `fields` (absent ones are left out of each object).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::output::{FrameMeta, JsonlWriter, LineWriter};
    /// let mut w = JsonlWriter::new(vec![Field::IpTtl, Field::UdpSrcport]);
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::IpTtl, 64u8); // no UDP: that key is left out
    /// let mut out = Vec::new();
    /// w.frame(&FrameMeta::default(), &f, &mut out);
    /// assert_eq!(out, b"{\"ip.ttl\":\"64\"}\n");
    /// ```
    #[must_use]
    pub fn new(fields: Vec<Field>) -> Self {
        JsonlWriter {
            fields,
            derived: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// A writer for `columns`, stored or derived.
    ///
    /// ```
    /// use zcdump::analysis::FrameStreams;
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::output::{Column, FrameContext, FrameMeta, JsonlWriter, LineWriter};
    /// let columns = ["ip.ttl", "tcp.stream"].map(|n| Column::from_name(n).unwrap()).to_vec();
    /// let mut w = JsonlWriter::with_columns(columns);
    /// let mut f = FrameFields::default();
    /// f.push_uint(Field::IpTtl, 64u8);
    /// let analysis = FrameStreams { tcp: vec![0, 3], ..FrameStreams::default() };
    /// let context = FrameContext { packet: None, analysis: Some(&analysis) };
    /// let mut out = Vec::new();
    /// w.frame_with(&FrameMeta::default(), &f, &context, &mut out);
    /// assert_eq!(out, b"{\"ip.ttl\":\"64\",\"tcp.stream\":[\"0\",\"3\"]}\n");
    /// ```
    #[must_use]
    pub fn with_columns(columns: Vec<Column>) -> Self {
        let mut writer = JsonlWriter::new(columns.iter().map(Column::stored).collect());
        if columns.iter().any(|c| c.derived().is_some()) {
            writer.derived = columns.iter().map(Column::derived).collect();
        }
        writer
    }

    /// Appends `"name":"v"` (or an array for several values) for a derived column; returns
    /// whether the frame had a value.
    fn derived_member(
        &mut self,
        derived: crate::filter::DerivedField,
        frame: &FrameFields,
        context: &FrameContext<'_>,
        first_key: bool,
        out: &mut Vec<u8>,
    ) -> bool {
        self.scratch.clear();
        let count = derived.write(frame, context.packet, context.analysis, &mut self.scratch);
        if count == 0 {
            return false;
        }
        if !first_key {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(derived.name().as_bytes());
        out.extend_from_slice(b"\":");
        if count > 1 {
            out.push(b'[');
        }
        // Derived values (numbers, times, addresses, protocol paths) hold no commas,
        // quotes or backslashes.
        for (i, value) in self.scratch.split(|b| *b == b',').enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(value);
            out.push(b'"');
        }
        if count > 1 {
            out.push(b']');
        }
        true
    }
}

impl LineWriter for JsonlWriter {
    fn fields_read(&self) -> FieldMask {
        self.derived
            .iter()
            .flatten()
            .fold(FieldMask::of(&self.fields), |m, d| d.fields_read(m))
    }

    fn needs_analysis(&self) -> bool {
        self.derived.iter().flatten().any(|d| d.needs_analysis())
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
        out.push(b'{');
        let mut first_key = true;
        for i in 0..self.fields.len() {
            if let Some(d) = self.derived.get(i).copied().flatten() {
                if self.derived_member(d, frame, context, first_key, out) {
                    first_key = false;
                }
                continue;
            }
            let field = &self.fields[i];
            let count = frame.all(*field).count();
            if count == 0 || field.kind() == Kind::Protocol {
                continue;
            }
            if !first_key {
                out.push(b',');
            }
            first_key = false;
            // Field names and number and address texts are ASCII without quotes or
            // backslashes, so they need no JSON escaping; text values are escaped.
            out.push(b'"');
            out.extend_from_slice(field.name().as_bytes());
            out.extend_from_slice(b"\":");
            if count > 1 {
                out.push(b'[');
            }
            for (i, v) in frame.all(*field).enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.push(b'"');
                match v {
                    Value::Text(t) => write_json_escaped(out, frame.text(t)),
                    _ => write_value(out, *field, v),
                }
                out.push(b'"');
            }
            if count > 1 {
                out.push(b']');
            }
        }
        if let Some(m) = frame.malformed() {
            if !first_key {
                out.push(b',');
            }
            out.extend_from_slice(b"\"_ws.malformed\":\"");
            out.extend_from_slice(m.layer.as_bytes());
            out.extend_from_slice(b": ");
            escape_json(out, &m.reason);
            out.push(b'"');
        }
        out.extend_from_slice(b"}\n");
    }
}

/// Appends `s` with JSON string escaping (error texts may quote anything).
fn escape_json(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_reason_is_escaped() {
        let mut w = JsonlWriter::new(vec![]);
        let mut f = FrameFields::default();
        f.set_malformed("tcp", "bad \"len\"\n".into());
        let mut out = Vec::new();
        w.frame(&FrameMeta::default(), &f, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"_ws.malformed\":\"tcp: bad \\\"len\\\"\\u000a\"}\n"
        );
    }
}
