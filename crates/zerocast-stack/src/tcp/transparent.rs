//! The transparent TCP listener of a relay: it takes every SYN to a non-local address
//! that no connection or listener matched (on a device that accepts any destination,
//! `Stack::set_accept_any_destination`), so each accepted connection's local address is
//! the destination the peer meant to reach.

use core::net::{IpAddr, SocketAddr};

use super::demux::TcpSocketKind;
use super::segment::Segment;
use crate::context::{Bindings, SocketId};
use crate::socket::SocketError;
use crate::Stack;

/// Hands a segment nobody else took to the transparent listener; returns whether it did.
/// Segments to the stack's own addresses are never taken: a closed port there is answered
/// with a RST as usual (RFC 9293 3.10.7.1).
pub(crate) fn take_segment(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    local: SocketAddr,
    remote: SocketAddr,
    seg: &Segment<'_>,
) -> bool {
    let Some(listener) = transparent_listener(stack) else {
        return false;
    };
    if !crate::ip::transparent::may_take(stack, local.ip()) {
        return false;
    }
    super::io::on_listener_segment(stack, bc, listener, local, remote, seg);
    true
}

/// Whether a new connection to `local` would go to the transparent listener (if no
/// connection or listener matched it first).
pub(crate) fn would_take(stack: &Stack, local: IpAddr) -> bool {
    transparent_listener(stack).is_some() && crate::ip::transparent::may_take(stack, local)
}

/// The transparent listener, if it is still the listening socket it was made from.
fn transparent_listener(stack: &Stack) -> Option<SocketId> {
    let (id, bound) = stack.transparent.tcp_listener?;
    let sock = stack.sockets.tcp(id).ok()?;
    let same = sock.local == Some(bound) && matches!(sock.kind, TcpSocketKind::Listener(_));
    same.then_some(id)
}

impl Stack {
    /// Makes `id` the stack's transparent listener (replacing any earlier one): besides
    /// its own port it takes every connection to a non-local address that no other socket
    /// matched, as Linux's `IP_TRANSPARENT` listener behind a TPROXY rule does. An accepted
    /// socket's `tcp_local_addr` is the address the peer connected to. Packets to other
    /// hosts only reach TCP on a device with `set_accept_any_destination` on.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// stack.set_accept_any_destination(tun, true);
    /// let listener = stack.tcp_open()?;
    /// stack.tcp_listen_transparent(&mut bc, listener, 128)?;
    /// assert!(stack.tcp_is_transparent(listener));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Stack::tcp_listen`].
    pub fn tcp_listen_transparent(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        backlog: usize,
    ) -> Result<(), SocketError> {
        self.tcp_listen(bc, id, backlog)?;
        let bound = self
            .sockets
            .tcp(id)?
            .local
            .ok_or(SocketError::InvalidState)?;
        self.transparent.tcp_listener = Some((id, bound));
        Ok(())
    }

    /// Whether `id` is the transparent listener.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let id = stack.tcp_open()?;
    /// assert!(!stack.tcp_is_transparent(id));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    #[must_use]
    pub fn tcp_is_transparent(&self, id: SocketId) -> bool {
        transparent_listener(self) == Some(id)
    }
}

#[cfg(test)]
mod tests {
    use core::net::{IpAddr, SocketAddr};

    use crate::context::DeviceId;
    use crate::testutil::tcp::TcpPair;
    use crate::testutil::LinkConfig;
    use crate::time::Duration;
    use crate::{SocketError, StackConfig};

    const FAR: &str = "198.51.100.7:80";

    /// A client routing everything via the server, which holds a transparent listener
    /// (when `transparent`) on a device accepting any destination.
    fn relay_pair(transparent: bool) -> (TcpPair, Option<crate::context::SocketId>) {
        let mut pair = TcpPair::new(7, LinkConfig::default(), StackConfig::default());
        let dev = DeviceId(0);
        pair.net.with_host(pair.client, |s, _| {
            s.add_route(
                "0.0.0.0".parse().unwrap(),
                0,
                dev,
                Some("10.0.0.2".parse().unwrap()),
            )
            .unwrap();
        });
        let listener = pair.net.with_host(pair.server, |s, bc| {
            s.set_accept_any_destination(dev, true);
            transparent.then(|| {
                let id = s.tcp_open().unwrap();
                s.tcp_listen_transparent(bc, id, 8).unwrap();
                id
            })
        });
        (pair, listener)
    }

    #[test]
    fn a_connection_to_any_address_is_accepted_with_its_original_destination() {
        let (mut pair, listener) = relay_pair(true);
        let listener = listener.unwrap();
        let far: SocketAddr = FAR.parse().unwrap();
        let conn = pair.net.with_host(pair.client, |s, bc| {
            let id = s.tcp_open().unwrap();
            s.tcp_connect(bc, id, far).unwrap();
            id
        });
        let server = pair.server;
        let mut accepted = None;
        pair.net.run_until_condition(Duration::from_secs(2), |net| {
            accepted = net
                .with_host(server, |s, bc| s.tcp_accept(bc, listener))
                .ok();
            accepted.is_some()
        });
        let (id, peer) = accepted.expect("accepted");
        assert_eq!(peer.ip(), "10.0.0.1".parse::<IpAddr>().unwrap());
        let local = pair.net.with_host(server, |s, _| s.tcp_local_addr(id));
        assert_eq!(local, Ok(Some(far)));
        let state = pair.net.with_host(pair.client, |s, _| s.tcp_state(conn));
        assert_eq!(state, Ok(crate::tcp::TcpState::Established));
    }

    #[test]
    fn without_the_transparent_listener_the_connection_is_refused() {
        let (mut pair, _) = relay_pair(false);
        let far: SocketAddr = FAR.parse().unwrap();
        let conn = pair.net.with_host(pair.client, |s, bc| {
            let id = s.tcp_open().unwrap();
            s.tcp_connect(bc, id, far).unwrap();
            id
        });
        pair.net.run_for(Duration::from_millis(500));
        let error = pair
            .net
            .with_host(pair.client, |s, _| s.tcp_take_error(conn));
        assert_eq!(error, Ok(Some(SocketError::ConnectionRefused)));
    }

    #[test]
    fn closing_the_listener_ends_transparency() {
        let (mut pair, listener) = relay_pair(true);
        let listener = listener.unwrap();
        pair.net.with_host(pair.server, |s, bc| {
            assert!(s.tcp_is_transparent(listener));
            s.tcp_close(bc, listener).unwrap();
            assert!(!s.tcp_is_transparent(listener));
        });
    }
}
