//! Accepting unicast packets to any destination on a device, for transparent relays.
//!
//! A tun2socks-style relay holds a TUN that a namespace's default route points at: every
//! packet on it is addressed to some remote host, not to the stack. With the per-device
//! switch on, such packets are classified as unicast for us, so TCP and UDP see them and
//! their transparent sockets (`Stack::tcp_listen_transparent`,
//! `Stack::udp_bind_transparent`) take the ones no ordinary socket matched. Replies then
//! carry the original destination as their source, which `may_use_source` allows.
//! Broadcast and multicast are classified before this and are unaffected.

use core::net::IpAddr;

use super::DstKind;
use crate::context::{DeviceId, SocketId};
use crate::Stack;

/// The stack's transparent sockets: at most one TCP listener and one UDP socket.
#[derive(Debug, Default)]
pub(crate) struct TransparentSockets {
    /// Takes every SYN to a non-local address that no listener matched: the listener and
    /// the address it listens on (checked on use, so a closed listener whose id went to
    /// another socket is not taken for it).
    pub(crate) tcp_listener: Option<(SocketId, core::net::SocketAddr)>,
    /// Takes every datagram to a non-local address that no socket matched.
    pub(crate) udp: crate::udp::transparent::TransparentUdp,
}

impl TransparentSockets {
    /// Forgets `id` when its socket closes, so an id handed out again is not transparent.
    pub(crate) fn forget(&mut self, id: SocketId) {
        if self.udp.socket == Some(id) {
            self.udp = crate::udp::transparent::TransparentUdp::default();
        }
    }
}

/// How a unicast packet to `dst` (not one of our addresses) arriving on `dev` is
/// classified: ours when the device accepts any destination. The unspecified address is
/// never a destination (RFC 1122 3.2.1.3 (a), RFC 4291 2.5.2).
pub(crate) fn classify_any(stack: &Stack, dev: DeviceId, dst: IpAddr) -> Option<DstKind> {
    let accepts = stack
        .devices
        .get(dev.index())
        .is_some_and(|d| d.accept_any_destination);
    (accepts && is_relayable(dst)).then_some(DstKind::Unicast)
}

/// Whether a packet may leave with the non-local source `src`: only while some device
/// accepts any destination (a transparent socket answers from the address its peer used).
pub(crate) fn may_use_source(stack: &Stack, src: IpAddr) -> bool {
    is_relayable(src) && stack.devices.iter().any(|d| d.accept_any_destination)
}

/// Whether a transparent socket (TCP listener or UDP socket) may take a packet to `dst`
/// that no ordinary socket matched: a unicast address a relay may terminate and not one of
/// the stack's own, whose closed ports get the usual answer (a RST, Port Unreachable).
pub(crate) fn may_take(stack: &Stack, dst: IpAddr) -> bool {
    is_relayable(dst) && stack.local_address_device(dst).is_none()
}

/// A unicast address a relay may terminate: not unspecified, multicast or broadcast.
fn is_relayable(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => !(a.is_unspecified() || a.is_multicast() || a.is_broadcast()),
        IpAddr::V6(a) => !(a.is_unspecified() || a.is_multicast()),
    }
}

impl Stack {
    /// Makes `dev` accept unicast packets to any address as its own (`true`), so a
    /// transparent TCP listener or UDP socket can terminate connections to arbitrary
    /// destinations, or restores the normal behaviour (`false`). Returns whether `dev`
    /// exists.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// assert!(!stack.accept_any_destination(tun));
    /// assert!(stack.set_accept_any_destination(tun, true));
    /// assert!(stack.accept_any_destination(tun));
    /// ```
    pub fn set_accept_any_destination(&mut self, dev: DeviceId, enabled: bool) -> bool {
        match self.devices.get_mut(dev.index()) {
            Some(d) => {
                d.accept_any_destination = enabled;
                true
            }
            None => false,
        }
    }

    /// Whether `dev` accepts unicast packets to any address (false for an unknown device).
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// stack.set_accept_any_destination(tun, true);
    /// assert!(stack.accept_any_destination(tun));
    /// ```
    #[must_use]
    pub fn accept_any_destination(&self, dev: DeviceId) -> bool {
        self.devices
            .get(dev.index())
            .is_some_and(|d| d.accept_any_destination)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StackConfig;

    #[test]
    fn unicast_to_any_address_is_ours_only_with_the_switch() {
        let mut stack = Stack::new(StackConfig::default());
        let tun = stack.add_pure_ip_device(1500);
        let dst: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(classify_any(&stack, tun, dst), None);
        assert!(!may_use_source(&stack, dst));
        stack.set_accept_any_destination(tun, true);
        assert_eq!(classify_any(&stack, tun, dst), Some(DstKind::Unicast));
        assert!(may_use_source(&stack, dst));
    }

    #[test]
    fn unspecified_and_group_addresses_are_never_relayed() {
        let mut stack = Stack::new(StackConfig::default());
        let tun = stack.add_pure_ip_device(1500);
        stack.set_accept_any_destination(tun, true);
        for a in ["0.0.0.0", "255.255.255.255", "224.0.0.5", "::", "ff02::1"] {
            let addr: IpAddr = a.parse().unwrap();
            assert_eq!(classify_any(&stack, tun, addr), None, "{a}");
            assert!(!may_use_source(&stack, addr), "{a}");
        }
    }
}
