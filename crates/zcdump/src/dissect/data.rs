//! `data`: payload bytes that no dissector claimed, as tshark shows them (a protocol with
//! no fields of its own here).

use super::Cx;
use crate::fields::{declare_fields, Proto};

declare_fields! {
    proto: Data, name: "data",
}

/// Notes `payload` as unclaimed data, if there is any.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    if !payload.is_empty() {
        cx.out.enter(Proto::Data);
    }
}
