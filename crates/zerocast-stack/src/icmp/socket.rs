//! ICMP echo sockets: pinging from the stack.
//!
//! An echo socket owns one identifier (chosen at random among the unused ones when it is
//! opened) and sends echo requests of either family with it; replies carrying that
//! identifier are queued on the socket with their source, sequence number and data. Like a
//! Linux "ping socket", the application chooses sequence numbers and payloads. The queue is
//! bounded ([`StackConfig::echo_queue_len`](crate::StackConfig::echo_queue_len)): a reply
//! arriving at a full queue is dropped (the newest is dropped, so what the application reads
//! stays in arrival order). ICMP errors about our requests become the socket's pending
//! error.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::net::IpAddr;

use zerocast_wire::icmpv4::Icmpv4Repr;
use zerocast_wire::icmpv6::{self, Icmpv6Repr};
use zerocast_wire::{IpProto, PseudoHeader};

use crate::context::{Bindings, Readiness, SocketId};
use crate::ip::{self, SendOptions};
use crate::socket::{Socket, SocketError};
use crate::Stack;

/// An echo reply read from an echo socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoReply {
    /// Who answered.
    pub from: IpAddr,
    /// The sequence number it echoed.
    pub seq: u16,
    /// Bytes of data copied into the caller's buffer.
    pub len: usize,
    /// Bytes of data the reply carried (more than `len` when the buffer was short).
    pub data_len: usize,
}

#[derive(Debug)]
struct QueuedReply {
    from: IpAddr,
    seq: u16,
    data: Vec<u8>,
}

/// One echo socket.
#[derive(Debug)]
pub(crate) struct EchoSocket {
    ident: u16,
    queue: VecDeque<QueuedReply>,
    error: Option<SocketError>,
}

/// Queues an echo reply on the socket that owns `ident`.
pub(crate) fn deliver_echo_reply(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    from: IpAddr,
    v6: bool,
    ident: u16,
    seq: u16,
    data: &[u8],
) {
    let counters = if v6 {
        &mut stack.counters.icmpv6
    } else {
        &mut stack.counters.icmpv4
    };
    let Some(id) = stack
        .sockets
        .echo_sockets()
        .find(|(_, s)| s.ident == ident)
        .map(|(id, _)| id)
    else {
        counters.ignored += 1;
        return;
    };
    let max = stack.config.echo_queue_len;
    let Ok(socket) = stack.sockets.echo_mut(id) else {
        return;
    };
    if socket.queue.len() >= max {
        counters.ignored += 1;
        return;
    }
    socket.queue.push_back(QueuedReply {
        from,
        seq,
        data: data.to_vec(),
    });
    counters.echo_replies_delivered += 1;
    bc.socket_ready(
        id,
        Readiness {
            readable: true,
            writable: true,
            error: false,
        },
    );
}

/// Records an ICMP error about an echo request we sent with `ident`.
pub(crate) fn deliver_echo_error(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    ident: u16,
    _v6: bool,
    error: SocketError,
) {
    let Some(id) = stack
        .sockets
        .echo_sockets()
        .find(|(_, s)| s.ident == ident)
        .map(|(id, _)| id)
    else {
        return;
    };
    if let Ok(socket) = stack.sockets.echo_mut(id) {
        socket.error = Some(error);
        bc.socket_ready(
            id,
            Readiness {
                readable: true,
                writable: true,
                error: true,
            },
        );
    }
}

impl Stack {
    /// Opens an ICMP echo socket with a fresh random identifier.
    ///
    /// # Errors
    /// [`SocketError::TooManySockets`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.icmp_echo_open(&mut bc)?;
    /// let ident = stack.icmp_echo_ident(s)?;
    /// let other = stack.icmp_echo_open(&mut bc)?;
    /// assert_ne!(stack.icmp_echo_ident(other)?, ident);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn icmp_echo_open(&mut self, bc: &mut impl Bindings) -> Result<SocketId, SocketError> {
        let mut ident = bc.next_u64() as u16;
        // Bounded by the socket table, so a free identifier exists within max_sockets steps.
        for _ in 0..=self.sockets.len() {
            if !self.sockets.echo_sockets().any(|(_, s)| s.ident == ident) {
                break;
            }
            ident = ident.wrapping_add(1);
        }
        let socket = EchoSocket {
            ident,
            queue: VecDeque::new(),
            error: None,
        };
        self.sockets
            .insert(Socket::IcmpEcho(socket), self.config.max_sockets)
    }

    /// The identifier the socket's requests carry.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn icmp_echo_ident(&self, id: SocketId) -> Result<u16, SocketError> {
        Ok(self.sockets.echo(id)?.ident)
    }

    /// Sends an echo request to `dst` with sequence number `seq` and `payload`.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`], [`SocketError::NoRoute`],
    /// [`SocketError::AddressNotAvailable`], [`SocketError::MessageTooLong`], or the error
    /// an earlier ICMP message reported (returned once).
    pub fn icmp_echo_send(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        dst: IpAddr,
        seq: u16,
        payload: &[u8],
    ) -> Result<(), SocketError> {
        let socket = self.sockets.echo_mut(id)?;
        if let Some(e) = socket.error.take() {
            return Err(e);
        }
        let ident = socket.ident;
        let route = ip::route_output(self, bc.now(), dst, None, None)?;
        let mut message = alloc::vec![0u8; 8 + payload.len()];
        message[8..].copy_from_slice(payload);
        match (route.src, dst) {
            (IpAddr::V4(_), IpAddr::V4(_)) => {
                Icmpv4Repr::echo_request(ident, seq)
                    .emit(&mut message)
                    .map_err(|_| SocketError::MessageTooLong)?;
                ip::send_ip(
                    self,
                    bc,
                    &route,
                    IpProto::ICMP,
                    &message,
                    SendOptions::default(),
                )
            }
            (IpAddr::V6(src), IpAddr::V6(d)) => {
                message[4..6].copy_from_slice(&ident.to_be_bytes());
                message[6..8].copy_from_slice(&seq.to_be_bytes());
                let pseudo = PseudoHeader::V6 {
                    src: src.into(),
                    dst: d.into(),
                };
                let repr = Icmpv6Repr {
                    msg_type: icmpv6::TYPE_ECHO_REQUEST,
                    code: 0,
                };
                repr.emit(&mut message, pseudo)
                    .map_err(|_| SocketError::MessageTooLong)?;
                ip::send_ip(
                    self,
                    bc,
                    &route,
                    IpProto::ICMPV6,
                    &message,
                    SendOptions::default(),
                )
            }
            _ => Err(SocketError::InvalidInput),
        }?;
        self.run_loopback(bc);
        Ok(())
    }

    /// Takes the oldest queued echo reply, copying its data into `buf`.
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when none is queued, [`SocketError::InvalidSocket`], or
    /// a pending ICMP error (returned once).
    pub fn icmp_echo_recv(
        &mut self,
        id: SocketId,
        buf: &mut [u8],
    ) -> Result<EchoReply, SocketError> {
        let socket = self.sockets.echo_mut(id)?;
        let Some(reply) = socket.queue.pop_front() else {
            return Err(socket.error.take().unwrap_or(SocketError::WouldBlock));
        };
        let len = reply.data.len().min(buf.len());
        buf[..len].copy_from_slice(&reply.data[..len]);
        Ok(EchoReply {
            from: reply.from,
            seq: reply.seq,
            len,
            data_len: reply.data.len(),
        })
    }

    /// Closes an echo socket.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    pub fn icmp_echo_close(&mut self, id: SocketId) -> Result<(), SocketError> {
        self.sockets.echo(id)?;
        self.sockets.remove(id);
        Ok(())
    }
}
