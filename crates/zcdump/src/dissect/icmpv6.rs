//! ICMPv6 (with NDP targets and options, and the packet quoted in errors) and IGMP.

use super::upper::Upper;
use super::Cx;

pub(super) fn icmpv6(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    cx.data(upper.bytes);
}

pub(super) fn igmp(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    cx.data(upper.bytes);
}
