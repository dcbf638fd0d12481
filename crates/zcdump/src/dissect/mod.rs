//! Dissection: zerocast-wire's parsed views of a frame, mapped to tshark's field names and
//! values. zcdump parses nothing itself; every header is read by zerocast-wire, and this
//! module's job is the mapping (which field, which value, tshark's quirks about when a field
//! is present) and recording where and why a frame stopped parsing.

use crate::capture::Packet;
use crate::fields::{Field, FrameFields, Proto, Value};

/// Dissects one captured frame into `out` (which the caller has cleared).
///
/// ```
/// use zcdump::capture::{LinkType, Packet};
/// use zcdump::dissect::dissect;
/// use zcdump::fields::{Field, FrameFields};
/// let p = Packet { ts_sec: 0, ts_nsec: 0, orig_len: 60, link_type: LinkType::Ethernet, data: &[0; 14] };
/// let mut f = FrameFields::default();
/// dissect(&p, 7, &mut f);
/// assert_eq!(f.uint(Field::FrameNumber), Some(7));
/// assert_eq!(f.uint(Field::FrameCapLen), Some(14));
/// ```
pub fn dissect(packet: &Packet<'_>, number: u64, out: &mut FrameFields) {
    out.push(Field::Proto(Proto::Frame), Value::Present);
    out.push_uint(Field::FrameNumber, number);
    out.push_uint(Field::FrameLen, packet.orig_len);
    out.push_uint(Field::FrameCapLen, packet.data.len() as u64);
}
