//! `null`: BSD loopback (`LINKTYPE_NULL`, the address family in the capturing host's byte
//! order) and OpenBSD's `LINKTYPE_LOOP` (the same in network byte order).

use super::table::{Dissector, Hook};
use super::{ipv4, ipv6, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Null, name: "null",
    NullFamily = "null.family", Dec;
}

/// `LINKTYPE_NULL` (0).
pub(super) const DISSECTOR_NULL: Dissector = Dissector {
    proto: Proto::Null,
    hook: Hook::LinkType(&[LINKTYPE_NULL], dissect_null),
};

/// `LINKTYPE_LOOP` (108).
pub(super) const DISSECTOR_LOOP: Dissector = Dissector {
    proto: Proto::Null,
    hook: Hook::LinkType(&[LINKTYPE_LOOP], dissect_loop),
};

const LINKTYPE_NULL: u32 = 0;
const LINKTYPE_LOOP: u32 = 108;

/// `AF_INET` on every BSD.
const AF_INET: u32 = 2;
/// `AF_INET6` on NetBSD/OpenBSD (24), FreeBSD (28) and macOS (30).
const AF_INET6: [u32; 3] = [24, 28, 30];

fn dissect_null(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    let Some((&head, payload)) = frame.split_first_chunk::<4>() else {
        return cx.malformed_text("null", "loopback header needs 4 bytes");
    };
    // The capturing host's byte order is not recorded: families are small numbers, so a
    // value with only high bits set was written in the other order (tshark's rule too).
    let little = u32::from_le_bytes(head);
    let family = if little & 0xffff == 0 {
        u32::from_be_bytes(head)
    } else {
        little
    };
    by_family(cx, family, payload);
}

fn dissect_loop(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    let Some((&head, payload)) = frame.split_first_chunk::<4>() else {
        return cx.malformed_text("null", "loopback header needs 4 bytes");
    };
    by_family(cx, u32::from_be_bytes(head), payload);
}

fn by_family(cx: &mut Cx<'_, '_>, family: u32, payload: &[u8]) {
    cx.out.enter(Proto::Null);
    cx.out.push_uint(Field::NullFamily, family);
    match family {
        AF_INET => ipv4::dissect(cx, payload),
        f if AF_INET6.contains(&f) => ipv6::dissect(cx, payload),
        _ => cx.data(payload),
    }
}
