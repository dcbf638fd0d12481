//! `data`: payload bytes that no dissector claimed, as tshark shows them (a protocol with
//! no fields of its own here).

use super::Cx;
use crate::fields::{declare_fields, Proto};

declare_fields! {
    proto: Data, name: "data",
}

/// Notes `payload` (a slice of the frame) as unclaimed data, if there is any, and where it
/// is: `data.data` and `data.len` are those bytes, as captured.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    if !payload.is_empty() {
        cx.out.enter(Proto::Data);
        let start = cx.offset(payload);
        cx.out.set_payload(Proto::Data, start, payload.len());
    }
}
