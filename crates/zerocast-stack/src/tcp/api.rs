//! The TCP socket calls on [`Stack`].

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::conn::{Conn, ConnParams};
use super::demux::{
    addresses_overlap, unmap, unmap_socket, ConnEntry, ConnId, Listener, TcpSocket, TcpSocketKind,
};
use super::io::{mss_for_route, run_conn, sync_timer, ts_offset_for};
use super::{Shutdown, TcpSocketOptions, TcpState};
use crate::context::{Bindings, SocketId};
use crate::ip;
use crate::socket::{Socket, SocketError};
use crate::Stack;

impl Stack {
    /// Opens a TCP socket (unbound, not connected).
    ///
    /// # Errors
    /// [`SocketError::TooManySockets`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, tcp::TcpState};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.tcp_open()?;
    /// assert_eq!(stack.tcp_state(s)?, TcpState::Closed);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_open(&mut self) -> Result<SocketId, SocketError> {
        self.sockets
            .insert(Socket::Tcp(TcpSocket::new()), self.config.max_sockets)
    }

    /// Binds the socket to a local address; port 0 picks a free ephemeral port. The
    /// address may be unspecified (`[::]` takes IPv4 too) or one of ours.
    ///
    /// # Errors
    /// [`SocketError::AlreadyBound`], [`SocketError::AddressNotAvailable`],
    /// [`SocketError::AddressInUse`], [`SocketError::NoFreePorts`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.tcp_open()?;
    /// stack.tcp_bind(s, "0.0.0.0:80".parse().unwrap())?;
    /// assert_eq!(stack.tcp_local_addr(s)?, Some("0.0.0.0:80".parse().unwrap()));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_bind(&mut self, id: SocketId, local: SocketAddr) -> Result<(), SocketError> {
        let sock = self.sockets.tcp(id)?;
        if sock.local.is_some() {
            return Err(SocketError::AlreadyBound);
        }
        let ip = local.ip();
        if !unmap(ip).is_unspecified() && self.local_address_device(unmap(ip)).is_none() {
            return Err(SocketError::AddressNotAvailable);
        }
        let port = if local.port() == 0 {
            self.tcp_free_port(ip, None)?
        } else {
            if self.tcp_port_taken(local.port(), ip, id) {
                return Err(SocketError::AddressInUse);
            }
            local.port()
        };
        self.sockets.tcp_mut(id)?.local = Some(SocketAddr::new(ip, port));
        self.tcp.index_port(id, port);
        Ok(())
    }

    fn tcp_port_taken(&self, port: u16, ip: IpAddr, except: SocketId) -> bool {
        self.tcp.bound_on(port).iter().any(|&other| {
            other != except
                && self
                    .sockets
                    .tcp(other)
                    .ok()
                    .and_then(|s| s.local)
                    .is_some_and(|l| addresses_overlap(l.ip(), ip))
        })
    }

    /// A free ephemeral port (RFC 6056 3.3.1 would randomise the start; the scan starts
    /// at a point derived from the port count in use, so runs stay reproducible without an
    /// RNG here). With `remote`, a port only needs a free 4-tuple.
    fn tcp_free_port(
        &mut self,
        ip: IpAddr,
        remote: Option<SocketAddr>,
    ) -> Result<u16, SocketError> {
        let (lo, hi) = self.config.ephemeral_ports;
        if lo == 0 || hi < lo {
            return Err(SocketError::NoFreePorts);
        }
        // RFC 6056 Algorithm 4 (`tcp/ports.rs`) once the stack has drawn its keys (at the
        // first connect: `tcp_bind` has no RNG); a bind before that scans from a spread
        // start below.
        if let Some(mut ports) = self.tcp.ports.take() {
            let picked = ports.pick(ip, remote, (lo, hi), |port| {
                self.tcp_port_taken(port, ip, SocketId(u32::MAX))
                    || remote.is_some_and(|r| self.tcp.tuple_in_use(SocketAddr::new(ip, port), r))
            });
            self.tcp.ports = Some(ports);
            return picked.ok_or(SocketError::NoFreePorts);
        }
        let span = u32::from(hi - lo) + 1;
        let start = (self.tcp.bound.len() as u32).wrapping_mul(2_654_435_761) % span;
        for step in 0..span {
            let port = lo + ((start + step) % span) as u16;
            if self.tcp_port_taken(port, ip, SocketId(u32::MAX)) {
                continue;
            }
            if let Some(r) = remote {
                if self.tcp.tuple_in_use(SocketAddr::new(ip, port), r) {
                    continue;
                }
            }
            return Ok(port);
        }
        Err(SocketError::NoFreePorts)
    }

    /// Starts listening with an accept queue of `backlog` connections (at most
    /// [`TcpConfig::max_backlog`](crate::tcp::TcpConfig::max_backlog)). An unbound socket
    /// listens on an ephemeral port of every address.
    ///
    /// # Errors
    /// [`SocketError::InvalidState`] for a connected socket, binding errors.
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, tcp::TcpState};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.tcp_open()?;
    /// stack.tcp_bind(s, "[::]:8080".parse().unwrap())?;
    /// stack.tcp_listen(&mut bc, s, 16)?;
    /// assert_eq!(stack.tcp_state(s)?, TcpState::Listen);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_listen(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        backlog: usize,
    ) -> Result<(), SocketError> {
        let _ = bc;
        let max = self.config.tcp.max_backlog;
        let sock = self.sockets.tcp(id)?;
        match &sock.kind {
            TcpSocketKind::Idle => {}
            TcpSocketKind::Listener(_) => return Ok(()),
            TcpSocketKind::Conn(_) => return Err(SocketError::InvalidState),
        }
        if sock.local.is_none() {
            self.tcp_bind(id, SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0))?;
        }
        self.sockets.tcp_mut(id)?.kind = TcpSocketKind::Listener(Listener {
            backlog: backlog.clamp(1, max.max(1)),
            ..Listener::default()
        });
        Ok(())
    }

    /// Takes an established connection from a listener's queue: its new socket and the
    /// peer's address.
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when none is waiting, [`SocketError::InvalidState`] when
    /// the socket is not listening.
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// // The handshake over loopback completed within tcp_connect.
    /// assert_eq!(stack.tcp_accept(&mut bc, l), Err(SocketError::WouldBlock));
    /// assert_eq!(stack.tcp_peer_addr(s)?, stack.tcp_local_addr(c)?);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_accept(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
    ) -> Result<(SocketId, SocketAddr), SocketError> {
        let max = self.config.max_sockets;
        let options = self.sockets.tcp(id)?.options;
        let conn_id = {
            let sock = self.sockets.tcp_mut(id)?;
            let TcpSocketKind::Listener(l) = &mut sock.kind else {
                return Err(SocketError::InvalidState);
            };
            l.accept_queue
                .front()
                .copied()
                .ok_or(SocketError::WouldBlock)?
        };
        let (local, remote) = {
            let e = self.tcp.get(conn_id).ok_or(SocketError::WouldBlock)?;
            (e.conn.local, e.conn.remote)
        };
        let new = self.sockets.insert(
            Socket::Tcp(TcpSocket {
                local: Some(unmap_socket(local)),
                kind: TcpSocketKind::Conn(conn_id),
                options,
                error: None,
            }),
            max,
        )?;
        if let Ok(sock) = self.sockets.tcp_mut(id) {
            if let TcpSocketKind::Listener(l) = &mut sock.kind {
                l.accept_queue.pop_front();
                if !l.accept_queue.is_empty() {
                    let r = crate::Readiness {
                        readable: true,
                        writable: false,
                        error: false,
                    };
                    bc.socket_ready(id, r);
                }
            }
        }
        if let Some(e) = self.tcp.get_mut(conn_id) {
            e.socket = Some(new);
            e.listener = None;
            let r = e.conn.readiness();
            bc.socket_ready(new, r);
        }
        Ok((new, unmap_socket(remote)))
    }

    /// Connects to `remote`: the SYN leaves now. Completion shows as writable readiness;
    /// failure as error readiness and [`Stack::tcp_take_error`].
    ///
    /// # Errors
    /// [`SocketError::AlreadyConnected`], [`SocketError::InvalidState`] (listening),
    /// [`SocketError::InvalidInput`] (port 0, unspecified address, wrong family),
    /// [`SocketError::NoRoute`], binding errors.
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, tcp::TcpState};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// stack.add_address(&mut bc, tun, "10.0.0.2".parse().unwrap(), 24).unwrap();
    /// let s = stack.tcp_open()?;
    /// stack.tcp_connect(&mut bc, s, "10.0.0.1:80".parse().unwrap())?;
    /// assert_eq!(stack.tcp_state(s)?, TcpState::SynSent);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_connect(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        remote: SocketAddr,
    ) -> Result<(), SocketError> {
        let remote = unmap_socket(remote);
        if remote.port() == 0 || remote.ip().is_unspecified() || remote.ip().is_multicast() {
            return Err(SocketError::InvalidInput);
        }
        let sock = self.sockets.tcp(id)?;
        match sock.kind {
            TcpSocketKind::Idle => {}
            TcpSocketKind::Listener(_) => return Err(SocketError::InvalidState),
            TcpSocketKind::Conn(_) => return Err(SocketError::AlreadyConnected),
        }
        let options = sock.options;
        let pinned = sock
            .local
            .map(|l| unmap(l.ip()))
            .filter(|a| !a.is_unspecified());
        if pinned.is_some_and(|p| p.is_ipv4() != remote.is_ipv4())
            || sock
                .local
                .is_some_and(|l| l.ip() == IpAddr::V4(Ipv4Addr::UNSPECIFIED) && remote.is_ipv6())
        {
            return Err(SocketError::InvalidInput);
        }
        let route = ip::route_output(self, bc.now(), remote.ip(), pinned, None)?;
        let local_ip = route.src;
        let port = match self.sockets.tcp(id)?.local {
            Some(l) => l.port(),
            None => {
                self.tcp.key_ports(bc);
                let port = self.tcp_free_port(local_ip, Some(remote))?;
                self.sockets.tcp_mut(id)?.local = Some(SocketAddr::new(local_ip, port));
                self.tcp.index_port(id, port);
                port
            }
        };
        let local = SocketAddr::new(local_ip, port);
        if self.tcp.tuple_in_use(local, remote) {
            return Err(SocketError::AddressInUse);
        }
        let iss = self.tcp.secrets(bc).isn.isn(local, remote, bc.now());
        let params = ConnParams {
            local,
            remote,
            iss,
            our_mss: mss_for_route(&route),
            ts_offset: ts_offset_for(iss),
            options,
        };
        let config = self.config.tcp.clone();
        let mut out = alloc::vec::Vec::new();
        let conn = {
            let mut ctx = super::conn::ConnCtx {
                now: bc.now(),
                config: &config,
                challenge: &mut self.tcp.challenge,
                out: &mut out,
            };
            Conn::connect(&params, &mut ctx)
        };
        let conn_id = self.tcp.insert(ConnEntry {
            conn: alloc::boxed::Box::new(conn),
            socket: Some(id),
            listener: None,
            indexed: true,
            half_open: false,
            deadline: None,
            heap_at: None,
        });
        self.sockets.tcp_mut(id)?.kind = TcpSocketKind::Conn(conn_id);
        self.counters.tcp.active_opens += 1;
        // The SYN was produced above; send it through the same path as every segment.
        run_conn(self, bc, conn_id, |_, ctx| ctx.out.extend_from_slice(&out));
        sync_timer(self, conn_id);
        Ok(())
    }

    fn tcp_conn_of(&self, id: SocketId) -> Result<ConnId, SocketError> {
        match self.sockets.tcp(id)?.kind {
            TcpSocketKind::Conn(c) => Ok(c),
            _ => Err(SocketError::NotConnected),
        }
    }

    /// Queues data; returns how much fit (possibly less than `data.len()`).
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when the send buffer is full, [`SocketError::BrokenPipe`]
    /// after shutdown(Write) or close, [`SocketError::NotConnected`], the connection's error
    /// (reset, timed out).
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// assert_eq!(stack.tcp_send(&mut bc, c, b"ping")?, 4);
    /// let mut buf = [0u8; 8];
    /// assert_eq!(stack.tcp_recv(&mut bc, s, &mut buf)?, 4);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_send(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        data: &[u8],
    ) -> Result<usize, SocketError> {
        let c = self.tcp_conn_of(id)?;
        run_conn(self, bc, c, |conn, ctx| conn.send(data, ctx))
            .unwrap_or(Err(SocketError::NotConnected))
    }

    /// Reads received data; `Ok(0)` once the peer closed and everything was read.
    ///
    /// # Errors
    /// [`SocketError::WouldBlock`] when nothing is ready, [`SocketError::NotConnected`],
    /// the connection's error (reset, refused, timed out; returned once).
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(stack.tcp_recv(&mut bc, s, &mut buf), Err(SocketError::WouldBlock));
    /// stack.tcp_shutdown(&mut bc, c, Shutdown::Write)?;
    /// assert_eq!(stack.tcp_recv(&mut bc, s, &mut buf)?, 0); // end of stream
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_recv(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        buf: &mut [u8],
    ) -> Result<usize, SocketError> {
        let c = self.tcp_conn_of(id)?;
        run_conn(self, bc, c, |conn, ctx| conn.recv(buf, ctx))
            .unwrap_or(Err(SocketError::NotConnected))
    }

    /// Closes one or both directions.
    ///
    /// # Errors
    /// [`SocketError::NotConnected`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// stack.tcp_shutdown(&mut bc, c, Shutdown::Write)?;
    /// assert_eq!(stack.tcp_state(c)?, TcpState::FinWait2);
    /// assert_eq!(stack.tcp_state(s)?, TcpState::CloseWait);
    /// assert_eq!(stack.tcp_send(&mut bc, c, b"x"), Err(SocketError::BrokenPipe));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_shutdown(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        how: Shutdown,
    ) -> Result<(), SocketError> {
        let c = self.tcp_conn_of(id)?;
        run_conn(self, bc, c, |conn, ctx| {
            if matches!(how, Shutdown::Read | Shutdown::Both) {
                conn.shutdown_read();
            }
            if matches!(how, Shutdown::Write | Shutdown::Both) {
                conn.shutdown_write(ctx);
            }
        });
        Ok(())
    }

    /// Closes the socket; its id is free at once. A connection finishes its FIN handshake
    /// owned by the stack; unread data or `linger: Some(0)` resets it instead. A listener's
    /// pending connections are reset. With `linger: Some(t)`, `t > 0`, the id stays until
    /// one readiness event tells whether the FIN was acknowledged within `t` (`writable`)
    /// or the connection was reset (`error`).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// stack.tcp_close(&mut bc, c)?;
    /// assert_eq!(stack.tcp_state(c), Err(SocketError::InvalidSocket));
    /// assert_eq!(stack.tcp_state(s)?, TcpState::CloseWait);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_close(&mut self, bc: &mut impl Bindings, id: SocketId) -> Result<(), SocketError> {
        self.tcp_release(bc, id, false)
    }

    /// Resets the connection (RST) and frees the socket.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// stack.tcp_abort(&mut bc, c)?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(stack.tcp_recv(&mut bc, s, &mut buf), Err(SocketError::ConnectionReset));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_abort(&mut self, bc: &mut impl Bindings, id: SocketId) -> Result<(), SocketError> {
        self.tcp_release(bc, id, true)
    }

    fn tcp_release(
        &mut self,
        bc: &mut impl Bindings,
        id: SocketId,
        abort: bool,
    ) -> Result<(), SocketError> {
        if !abort && super::linger::start(self, bc, id)? {
            // The socket stays until the lingering close reports its outcome.
            return Ok(());
        }
        self.sockets.tcp(id)?;
        let Some(Socket::Tcp(sock)) = self.sockets.remove(id) else {
            return Err(SocketError::InvalidSocket);
        };
        if let Some(l) = sock.local {
            self.tcp.unindex_port(id, l.port());
        }
        match sock.kind {
            TcpSocketKind::Idle => {}
            TcpSocketKind::Listener(l) => {
                // Connections nobody accepted, and half-open ones, are reset.
                let pending: alloc::vec::Vec<ConnId> = self
                    .tcp
                    .iter()
                    .filter(|(_, e)| e.listener == Some(id))
                    .map(|(c, _)| c)
                    .collect();
                let _ = l;
                for c in pending {
                    if let Some(e) = self.tcp.get_mut(c) {
                        e.listener = None;
                        e.half_open = false;
                    }
                    run_conn(self, bc, c, |conn, ctx| conn.abort(ctx));
                }
            }
            TcpSocketKind::Conn(c) => {
                if let Some(e) = self.tcp.get_mut(c) {
                    e.socket = None;
                }
                let closed = self.tcp.get(c).is_some_and(|e| e.conn.is_closed());
                if closed {
                    self.tcp.free_slot(c);
                } else {
                    run_conn(self, bc, c, |conn, ctx| {
                        if abort {
                            conn.abort(ctx);
                        } else {
                            conn.close(ctx);
                        }
                    });
                }
            }
        }
        Ok(())
    }

    /// The socket's state ([`TcpState::Listen`] for a listener, `Closed` before connect
    /// and after the connection ended).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// assert_eq!(stack.tcp_state(l)?, TcpState::Listen);
    /// assert_eq!(stack.tcp_state(s)?, TcpState::Established);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_state(&self, id: SocketId) -> Result<TcpState, SocketError> {
        Ok(match self.sockets.tcp(id)?.kind {
            TcpSocketKind::Idle => TcpState::Closed,
            TcpSocketKind::Listener(_) => TcpState::Listen,
            TcpSocketKind::Conn(c) => self.tcp.get(c).map_or(TcpState::Closed, |e| e.conn.state),
        })
    }

    /// The local address (`None` before bind or connect).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// assert_eq!(stack.tcp_local_addr(s)?, Some("127.0.0.1:7".parse().unwrap()));
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_local_addr(&self, id: SocketId) -> Result<Option<SocketAddr>, SocketError> {
        Ok(self.sockets.tcp(id)?.local)
    }

    /// The peer's address, once connecting or connected.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// assert_eq!(stack.tcp_peer_addr(c)?, Some("127.0.0.1:7".parse().unwrap()));
    /// assert_eq!(stack.tcp_peer_addr(l)?, None);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_peer_addr(&self, id: SocketId) -> Result<Option<SocketAddr>, SocketError> {
        Ok(match self.sockets.tcp(id)?.kind {
            TcpSocketKind::Conn(c) => self.tcp.get(c).map(|e| unmap_socket(e.conn.remote)),
            _ => None,
        })
    }

    /// Takes the socket's pending error (reset, refused, timed out, unreachable). With no
    /// such error, takes the connection's pending soft error instead: an ICMP error (net or
    /// host unreachable, time exceeded, ...) that did not end the connection, as Linux's
    /// `SO_ERROR` returns and clears `sk_err_soft`. A soft error does not mean a connect
    /// failed: while the state is still `SynSent` the handshake keeps retrying (RFC 5461).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// stack.tcp_abort(&mut bc, c)?;
    /// assert_eq!(stack.tcp_take_error(s)?, Some(SocketError::ConnectionReset));
    /// assert_eq!(stack.tcp_take_error(s)?, None);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_take_error(&mut self, id: SocketId) -> Result<Option<SocketError>, SocketError> {
        let sock = self.sockets.tcp_mut(id)?;
        if let Some(e) = sock.error.take() {
            return Ok(Some(e));
        }
        let TcpSocketKind::Conn(c) = sock.kind else {
            return Ok(None);
        };
        Ok(self.tcp.get_mut(c).and_then(|e| {
            let conn = &mut e.conn;
            conn.error.take().or_else(|| conn.take_soft_error())
        }))
    }

    /// Sets the socket's options (a listener passes them to the connections it accepts).
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, tcp::TcpSocketOptions};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let s = stack.tcp_open()?;
    /// stack.tcp_set_options(s, TcpSocketOptions { nodelay: true, ..Default::default() })?;
    /// assert!(stack.tcp_options(s)?.nodelay);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_set_options(
        &mut self,
        id: SocketId,
        options: TcpSocketOptions,
    ) -> Result<(), SocketError> {
        let sock = self.sockets.tcp_mut(id)?;
        sock.options = options;
        if let TcpSocketKind::Conn(c) = sock.kind {
            if let Some(e) = self.tcp.get_mut(c) {
                // No bindings here: keepalive re-arms from the last segment's time.
                let now = e.conn.last_activity();
                e.conn.set_options(options, now);
            }
            sync_timer(self, c);
        }
        Ok(())
    }

    /// The socket's options.
    ///
    /// # Errors
    /// [`SocketError::InvalidSocket`].
    ///
    /// ```
    /// # use zerocast_stack::{Stack, StackConfig, SocketError, tcp::{Shutdown, TcpState}};
    /// # let mut bc = zerocast_stack::__doc_bindings();
    /// # let mut stack = Stack::new(StackConfig::default());
    /// # stack.add_loopback_device();
    /// # let l = stack.tcp_open()?;
    /// # stack.tcp_bind(l, "127.0.0.1:7".parse().unwrap())?;
    /// # stack.tcp_listen(&mut bc, l, 4)?;
    /// # let c = stack.tcp_open()?;
    /// # stack.tcp_connect(&mut bc, c, "127.0.0.1:7".parse().unwrap())?;
    /// # let (s, _) = stack.tcp_accept(&mut bc, l)?;
    /// assert!(!stack.tcp_options(s)?.nodelay);
    /// # Ok::<(), zerocast_stack::SocketError>(())
    /// ```
    pub fn tcp_options(&self, id: SocketId) -> Result<TcpSocketOptions, SocketError> {
        Ok(self.sockets.tcp(id)?.options)
    }
}
