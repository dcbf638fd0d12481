//! The layers above IP: UDP, TCP, ICMP, ICMPv6 (with NDP), IGMP, and the packets quoted
//! inside ICMP errors.

use zerocast_wire::{IpProto, PseudoHeader};

use super::Cx;

/// An IP payload ready for the upper-layer dissectors.
pub(super) struct Upper<'a> {
    /// The protocol the IP header (or last extension header) names.
    pub proto: IpProto,
    /// The payload as captured.
    pub bytes: &'a [u8],
    /// For UDP/TCP/ICMPv6 checksums.
    pub pseudo: PseudoHeader,
    /// Whether every byte the upper checksum covers is present (not truncated, not a first
    /// fragment); when not, checksum status is 2 (unverified) as in tshark.
    pub complete: bool,
}

pub(super) fn dispatch(cx: &mut Cx<'_, '_>, upper: Upper<'_>) {
    let _ = (upper.proto, upper.pseudo, upper.complete);
    cx.data(upper.bytes);
}
