//! `raw`: the link types of bare IP packets that tshark shows under its "Raw packet data"
//! protocol before the IP layer: `LINKTYPE_RAW` (101) and the `DLT_RAW` numbers some
//! systems write into pcap files instead (12, and 14 on OpenBSD). `LINKTYPE_IPV4` and
//! `LINKTYPE_IPV6` (228, 229) carry the packet without it (checked on tshark 4.0.17:
//! `raw:ip:udp:data` for 101, 12 and 14, `ip:udp:data` for 228).

use super::table::{Dissector, Hook};
use super::Cx;
use crate::fields::{declare_fields, Proto};

declare_fields! {
    proto: Raw, name: "raw",
}

/// Raw IP link types, the IP version read from the packet's first nibble.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Raw,
    hook: Hook::LinkType(&[101, 12, 14], dissect),
};

fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    cx.out.enter(Proto::Raw);
    super::ipv4::raw(cx, frame);
}
