//! The transparent UDP socket of a relay: it receives every unicast datagram to a
//! non-local address that no socket matched (on a device that accepts any destination,
//! `Stack::set_accept_any_destination`), each with the destination the sender meant, and
//! answers from that destination with [`Stack::udp_send_from`].

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::net::SocketAddr;

use zerocast_wire::udp::UdpRepr;
use zerocast_wire::IpProto;

use super::{pseudo_header, unmap_socket, DATAGRAM_OVERHEAD};
use crate::context::{Bindings, Readiness, SocketId};
use crate::ip::{self, SendOptions};
use crate::socket::SocketError;
use crate::Stack;

/// A datagram the transparent socket holds: who sent it, to where, and its payload.
#[derive(Debug)]
struct Relayed {
    from: SocketAddr,
    to: SocketAddr,
    data: Vec<u8>,
}

/// The transparent socket and its own queue (its datagrams carry a destination, which an
/// ordinary socket's queue does not keep).
#[derive(Debug, Default)]
pub(crate) struct TransparentUdp {
    pub(crate) socket: Option<SocketId>,
    queue: VecDeque<Relayed>,
    queued_bytes: usize,
}

/// Queues a datagram no socket matched on the transparent socket; returns whether it was
/// taken (dropped for a full queue counts as taken: no Port Unreachable then, as a full
/// ordinary socket sends none). Datagrams to the stack's own addresses are never taken.
pub(crate) fn take_datagram(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    from: SocketAddr,
    to: SocketAddr,
    payload: &[u8],
) -> bool {
    let Some(id) = stack.transparent.udp.socket else {
        return false;
    };
    if !crate::ip::transparent::may_take(stack, to.ip()) || stack.sockets.udp(id).is_err() {
        return false;
    }
    let capacity = stack.config.udp_recv_buffer;
    let t = &mut stack.transparent.udp;
    let cost = payload.len() + DATAGRAM_OVERHEAD;
    if t.queued_bytes + cost > capacity {
        stack.counters.udp.queue_full += 1;
        return true;
    }
    t.queued_bytes += cost;
    t.queue.push_back(Relayed {
        from: unmap_socket(from),
        to: unmap_socket(to),
        data: payload.to_vec(),
    });
    stack.counters.udp.delivered += 1;
    let ready = Readiness {
        readable: true,
        writable: true,
        error: false,
    };
    bc.socket_ready(id, ready);
    true
}

impl Stack {
    /// Makes the open UDP socket `id` the stack's transparent socket (replacing any
    /// earlier one): it receives, through [`Stack::udp_recv_transparent`], every unicast
    /// datagram to a non-local address that no other socket matched. Such datagrams only
    /// reach UDP on a device with `set_accept_any_destination` on.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let id = stack.udp_open()?;
    /// stack.udp_bind_transparent(id)?;
    /// let mut buf = [0u8; 16];
    /// assert_eq!(stack.udp_recv_transparent(id, &mut buf), Err(zerocast_stack::SocketError::WouldBlock));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`] when `id` is not an open UDP socket.
    pub fn udp_bind_transparent(&mut self, id: SocketId) -> Result<(), SocketError> {
        self.sockets.udp(id)?;
        self.transparent.udp = TransparentUdp {
            socket: Some(id),
            ..TransparentUdp::default()
        };
        Ok(())
    }

    /// Takes the oldest datagram of the transparent socket: copies as much as fits into
    /// `buf` (the rest is discarded, as `recv` does) and returns the copied length, the
    /// sender and the destination it was sent to.
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when none is queued, [`SocketError::InvalidState`] when
    /// `id` is not the transparent socket.
    pub fn udp_recv_transparent(
        &mut self,
        id: SocketId,
        buf: &mut [u8],
    ) -> Result<(usize, SocketAddr, SocketAddr), SocketError> {
        let t = &mut self.transparent.udp;
        if t.socket != Some(id) {
            return Err(SocketError::InvalidState);
        }
        let d = t.queue.pop_front().ok_or(SocketError::WouldBlock)?;
        t.queued_bytes = t
            .queued_bytes
            .saturating_sub(d.data.len() + DATAGRAM_OVERHEAD);
        let n = d.data.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), d.data.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok((n, d.from, d.to))
    }

    /// Sends `data` from `from` (any address, typically the destination a relayed
    /// datagram was sent to) to `to`, through the transparent socket `id`.
    ///
    /// ```
    /// use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// stack.add_address(&mut bc, tun, "10.9.0.1".parse().unwrap(), 24).unwrap();
    /// stack.set_accept_any_destination(tun, true);
    /// let id = stack.udp_open()?;
    /// stack.udp_bind_transparent(id)?;
    /// let from = "198.51.100.7:53".parse().unwrap();
    /// assert_eq!(stack.udp_send_from(&mut bc, id, from, "10.9.0.2:4000".parse().unwrap(), b"hi")?, 2);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    ///
    /// # Errors
    /// [`SocketError::InvalidState`] when `id` is not the transparent socket,
    /// [`SocketError::InvalidInput`] for a port 0 or mixed families,
    /// [`SocketError::AddressNotAvailable`] when no device accepts any destination,
    /// [`SocketError::NoRoute`], [`SocketError::MessageTooLong`].
    pub fn udp_send_from(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        from: SocketAddr,
        to: SocketAddr,
        data: &[u8],
    ) -> Result<usize, SocketError> {
        if self.transparent.udp.socket != Some(id) {
            return Err(SocketError::InvalidState);
        }
        let (from, to) = (unmap_socket(from), unmap_socket(to));
        if from.port() == 0 || to.port() == 0 || from.is_ipv4() != to.is_ipv4() {
            return Err(SocketError::InvalidInput);
        }
        let route = ip::route_output(self, bc.now(), to.ip(), Some(from.ip()), None)?;
        let headers = zerocast_wire::udp::HEADER_LEN + if to.is_ipv4() { 20 } else { 0 };
        if data.len() > usize::from(u16::MAX) - headers {
            return Err(SocketError::MessageTooLong);
        }
        let repr = UdpRepr {
            src_port: from.port(),
            dst_port: to.port(),
        };
        let pseudo = pseudo_header(route.src, route.dst);
        let len = zerocast_wire::udp::HEADER_LEN + data.len();
        ip::send_ip_with(
            self,
            bc,
            &route,
            IpProto::UDP,
            len,
            SendOptions::default(),
            |datagram| {
                let body = datagram
                    .get_mut(zerocast_wire::udp::HEADER_LEN..)
                    .ok_or(SocketError::MessageTooLong)?;
                body.copy_from_slice(data);
                repr.emit(datagram, pseudo)
                    .map_err(|_| SocketError::MessageTooLong)
            },
        )?;
        self.counters.udp.tx += 1;
        Ok(data.len())
    }
}

#[cfg(test)]
mod tests {
    use core::net::SocketAddr;

    use crate::context::DeviceId;
    use crate::testutil::tcp::TcpPair;
    use crate::testutil::LinkConfig;
    use crate::time::Duration;
    use crate::{SocketError, StackConfig};

    #[test]
    fn a_datagram_to_any_address_is_relayed_and_answered_from_it() {
        let mut pair = TcpPair::new(3, LinkConfig::default(), StackConfig::default());
        let dev = DeviceId(0);
        let far: SocketAddr = "[2001:db8:99::7]:53".parse().unwrap();
        pair.net.with_host(pair.client, |s, _| {
            s.add_route(
                "::".parse().unwrap(),
                0,
                dev,
                Some("2001:db8::2".parse().unwrap()),
            )
            .unwrap();
        });
        let relay = pair.net.with_host(pair.server, |s, _| {
            s.set_accept_any_destination(dev, true);
            let id = s.udp_open().unwrap();
            s.udp_bind_transparent(id).unwrap();
            id
        });
        let client = pair.net.with_host(pair.client, |s, bc| {
            let id = s.udp_open().unwrap();
            s.udp_send_to(bc, id, b"query", far).unwrap();
            id
        });
        pair.net.run_for(Duration::from_millis(10));
        let mut buf = [0u8; 32];
        let (n, from, to) = pair
            .net
            .with_host(pair.server, |s, _| s.udp_recv_transparent(relay, &mut buf))
            .unwrap();
        assert_eq!(&buf[..n], b"query");
        assert_eq!(to, far);
        assert_eq!(
            from.ip(),
            "2001:db8::1".parse::<core::net::IpAddr>().unwrap()
        );
        pair.net.with_host(pair.server, |s, bc| {
            s.udp_send_from(bc, relay, to, from, b"answer").unwrap();
        });
        pair.net.run_for(Duration::from_millis(10));
        let got = pair
            .net
            .with_host(pair.client, |s, _| s.udp_recv_from(client, &mut buf));
        assert_eq!(got, Ok((6, far)));
        assert_eq!(&buf[..6], b"answer");
    }

    #[test]
    fn without_the_transparent_socket_the_sender_gets_port_unreachable() {
        let mut pair = TcpPair::new(4, LinkConfig::default(), StackConfig::default());
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
        pair.net.with_host(pair.server, |s, _| {
            s.set_accept_any_destination(dev, true);
        });
        let client = pair.net.with_host(pair.client, |s, bc| {
            let id = s.udp_open().unwrap();
            s.udp_send_to(bc, id, b"x", "198.51.100.7:53".parse().unwrap())
                .unwrap();
            id
        });
        pair.net.run_for(Duration::from_millis(10));
        let error = pair
            .net
            .with_host(pair.client, |s, _| s.udp_take_error(client));
        assert_eq!(error, Ok(Some(SocketError::ConnectionRefused)));
    }

    #[test]
    fn only_the_transparent_socket_may_send_from_another_address() {
        let mut pair = TcpPair::new(5, LinkConfig::default(), StackConfig::default());
        pair.net.with_host(pair.server, |s, bc| {
            let id = s.udp_open().unwrap();
            let from = "198.51.100.7:53".parse().unwrap();
            let to = "10.0.0.1:9".parse().unwrap();
            assert_eq!(
                s.udp_send_from(bc, id, from, to, b"x"),
                Err(SocketError::InvalidState)
            );
            s.udp_bind_transparent(id).unwrap();
            // No device accepts any destination: the foreign source is refused.
            assert_eq!(
                s.udp_send_from(bc, id, from, to, b"x"),
                Err(SocketError::AddressNotAvailable)
            );
        });
    }
}
