//! The fields tshark derives (`tcp.stream`, `frame.time_relative`, `tcp.analysis.*`,
//! `ip.addr`, `tcp.len`, ...) as `-T fields` / `-T jsonl` columns: the values are the ones
//! the filter computes, so `-e` and `-Y` cannot disagree.

use super::eval::{write_field, View};
use super::schema::{lookup, FieldRef, Source};
use super::stateful;
use crate::analysis::FrameStreams;
use crate::capture::Packet;
use crate::fields::{Field, FieldMask, FrameFields};

/// A field that `-e` can print although the dissector does not store it.
///
/// ```
/// use zcdump::filter::DerivedField;
/// let stream = DerivedField::from_name("tcp.stream").ok_or("unknown")?;
/// assert_eq!(stream.name(), "tcp.stream");
/// assert!(stream.needs_analysis());
/// assert!(DerivedField::from_name("ip.ttl").is_none()); // stored: not derived
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DerivedField(FieldRef);

impl DerivedField {
    /// The derived field called `name` (tshark's name), if there is one.
    ///
    /// ```
    /// use zcdump::filter::DerivedField;
    /// assert!(DerivedField::from_name("frame.time_relative").is_some());
    /// assert!(DerivedField::from_name("tcp.bogus").is_none());
    /// assert!(DerivedField::from_name("tcp.payload").is_some());
    /// assert!(DerivedField::from_name("tcp").is_none()); // a filter term only
    /// assert!(DerivedField::from_name("frame.protocols").is_some());
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<DerivedField> {
        if Field::from_name(name).is_some() {
            return None;
        }
        // A protocol name alone (`tcp`) is a filter term: tshark's `-e tcp` prints the
        // protocol's summary line, which `-T fields` does not model.
        lookup(name)
            .filter(|f| !matches!(f.source, Source::Stored(_) | Source::Protocol(_)))
            .map(DerivedField)
    }

    /// tshark's name of the field.
    ///
    /// ```
    /// use zcdump::filter::DerivedField;
    /// assert_eq!(DerivedField::from_name("ip.addr").map(|d| d.name()), Some("ip.addr"));
    /// ```
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.0.name
    }

    /// `mask` with the dissector fields the values are computed from.
    ///
    /// ```
    /// use zcdump::fields::{Field, FieldMask};
    /// use zcdump::filter::DerivedField;
    /// let port = DerivedField::from_name("tcp.port").ok_or("unknown")?;
    /// assert!(port.fields_read(FieldMask::NONE).contains(Field::TcpSrcport));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn fields_read(&self, mask: FieldMask) -> FieldMask {
        self.0.reads(mask)
    }

    /// Whether the values need the conversation table ([`FrameStreams`]) of every
    /// earlier frame: stream indices, TCP analysis, relative numbers and times.
    ///
    /// ```
    /// use zcdump::filter::DerivedField;
    /// assert!(DerivedField::from_name("frame.time_delta").is_some_and(|d| d.needs_analysis()));
    /// assert!(DerivedField::from_name("tcp.len").is_some_and(|d| !d.needs_analysis()));
    /// ```
    #[must_use]
    pub fn needs_analysis(&self) -> bool {
        stateful(&self.0)
    }

    /// Appends the frame's values as tshark's `-T fields` writes them (`,` between several)
    /// and returns how many there were. `packet` holds the frame's bytes; `analysis` is what
    /// the conversation table said about the frame (values that need it are absent without).
    ///
    /// ```
    /// use zcdump::analysis::FrameStreams;
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::filter::DerivedField;
    /// let mut fields = FrameFields::default();
    /// fields.push_uint(Field::TcpSrcport, 80u16);
    /// fields.push_uint(Field::TcpDstport, 5000u16);
    /// let streams = FrameStreams { tcp: vec![4], ..FrameStreams::default() };
    /// let mut out = Vec::new();
    /// let port = DerivedField::from_name("tcp.port").ok_or("unknown")?;
    /// assert_eq!(port.write(&fields, None, Some(&streams), &mut out), 2);
    /// out.push(b' ');
    /// DerivedField::from_name("tcp.stream").ok_or("unknown")?.write(&fields, None, Some(&streams), &mut out);
    /// assert_eq!(out, b"80,5000 4");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(
        &self,
        fields: &FrameFields,
        packet: Option<&Packet<'_>>,
        analysis: Option<&FrameStreams>,
        out: &mut Vec<u8>,
    ) -> usize {
        write_field(&View::new(fields, packet, analysis), &self.0, out)
    }
}
