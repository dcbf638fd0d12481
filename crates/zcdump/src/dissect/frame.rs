//! `frame`: what the capture file says about a record (number, lengths), before any
//! protocol; every frame has these, whatever its link type.

use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Frame, name: "frame",
    FrameNumber = "frame.number", Dec;
    FrameLen = "frame.len", Dec;
    FrameCapLen = "frame.cap_len", Dec;
}

/// Fills the `frame.*` fields of frame `number`, `orig_len` bytes on the wire.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, number: u64, orig_len: u32) {
    cx.out.push(Field::Proto(Proto::Frame), Value::Present);
    cx.out.push_uint(Field::FrameNumber, number);
    cx.out.push_uint(Field::FrameLen, orig_len);
    cx.out.push_uint(Field::FrameCapLen, cx.frame.len() as u64);
}
