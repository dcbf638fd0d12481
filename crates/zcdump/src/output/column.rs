//! What `-e` names: a field the dissector stores, or one tshark derives that zcdump computes
//! as the filter does (`tcp.stream`, `frame.time_relative`, `tcp.analysis.ack_rtt`, ...),
//! and the per-frame context derived values are computed from.

use crate::analysis::FrameStreams;
use crate::capture::Packet;
use crate::fields::{Field, Kind, Proto};
use crate::filter::DerivedField;

/// One `-e` column.
///
/// ```
/// use zcdump::fields::Field;
/// use zcdump::output::Column;
/// assert_eq!(Column::from_name("ip.ttl"), Some(Column::Stored(Field::IpTtl)));
/// assert!(matches!(Column::from_name("tcp.stream"), Some(Column::Derived(_))));
/// assert_eq!(Column::from_name("ip"), None); // a protocol is not a column
/// assert_eq!(Column::from_name("tcp.stream").map(|c| c.name()), Some("tcp.stream"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A field the dissector stores.
    Stored(Field),
    /// A field computed from the dissection and, for some, from earlier frames.
    Derived(DerivedField),
}

impl Column {
    /// The column called `name` (tshark's field name), if zcdump knows it.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Column> {
        match Field::from_name(name) {
            Some(f) if f.kind() == Kind::Protocol => None,
            Some(f) => Some(Column::Stored(f)),
            None => DerivedField::from_name(name).map(Column::Derived),
        }
    }

    /// tshark's name of the column.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Column::Stored(f) => f.name(),
            Column::Derived(d) => d.name(),
        }
    }

    /// The stored field behind the column (a placeholder for a derived one, never printed).
    pub(crate) fn stored(&self) -> Field {
        match self {
            Column::Stored(f) => *f,
            Column::Derived(_) => Field::Proto(Proto::Frame),
        }
    }

    /// The derived field behind the column, if it is one.
    pub(crate) fn derived(&self) -> Option<DerivedField> {
        match self {
            Column::Derived(d) => Some(*d),
            Column::Stored(_) => None,
        }
    }
}

/// What a writer may need beyond the dissected fields: the frame's bytes and what the
/// conversation table said about it.
///
/// ```
/// use zcdump::output::FrameContext;
/// let none = FrameContext::default();
/// assert!(none.packet.is_none() && none.analysis.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameContext<'a> {
    /// The captured frame.
    pub packet: Option<&'a Packet<'a>>,
    /// Stream indices, TCP analysis and times of the frame.
    pub analysis: Option<&'a FrameStreams>,
}
