//! The TCP side of `zcstack serve`: listeners for `--tcp-echo` and `--http`, and every
//! accepted connection, driven on the stack's own thread from readiness events.
//!
//! There is no thread per connection and no scan of idle ones: the stack's bindings record
//! which sockets changed (`HostBindings::ready_sockets` on a TAP; the fake bindings' events
//! in the tests below), and after each batch of frames the poll loop's hook hands that list
//! to [`TcpServices::on_ready`], which accepts on ready
//! listeners and, for each ready connection, moves bytes between the socket and its sans-IO
//! protocol ([`EchoConnection`] or [`ServerConnection`]) until the socket would block both
//! ways. A connection whose protocol is finished is closed (FIN after the queued bytes); one
//! the peer reset is dropped.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use zerocast_stack::context::Bindings;
use zerocast_stack::context::SocketId;
use zerocast_stack::{SocketError, Stack};

use crate::echo::EchoConnection;
use crate::http::ServerConnection;

/// The accept queue each listener asks for (the core clamps it to its maximum).
pub const BACKLOG: usize = 1024;

/// What a listener serves.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Service {
    /// `--tcp-echo`: every byte back.
    Echo,
    /// `--http`: the [`crate::http`] server.
    Http,
}

/// One accepted connection and its protocol.
#[derive(Debug)]
enum Protocol {
    Echo(EchoConnection),
    Http(Box<ServerConnection>),
}

impl Protocol {
    fn input_space(&self) -> usize {
        match self {
            Protocol::Echo(c) => c.input_space(),
            Protocol::Http(c) => c.input_space(),
        }
    }

    fn receive(&mut self, data: &[u8]) {
        match self {
            Protocol::Echo(c) => c.receive(data),
            Protocol::Http(c) => c.receive(data),
        }
    }

    fn receive_eof(&mut self) {
        match self {
            Protocol::Echo(c) => c.receive_eof(),
            Protocol::Http(c) => c.receive_eof(),
        }
    }

    fn pending_output(&mut self) -> &[u8] {
        match self {
            Protocol::Echo(c) => c.pending_output(),
            Protocol::Http(c) => c.pending_output(),
        }
    }

    fn consume_output(&mut self, n: usize) {
        match self {
            Protocol::Echo(c) => c.consume_output(n),
            Protocol::Http(c) => c.consume_output(n),
        }
    }

    fn should_close(&self) -> bool {
        match self {
            Protocol::Echo(c) => c.should_close(),
            Protocol::Http(c) => c.should_close(),
        }
    }
}

#[derive(Debug)]
struct Connection {
    protocol: Protocol,
    /// The peer's FIN has been read.
    read_eof: bool,
}

/// What happened to a connection in one round of service.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Waiting for the socket (data, buffer space).
    Open,
    /// Finished and closed, or reset: forget it.
    Gone,
}

/// Counts since the services started.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceCounters {
    /// Connections accepted.
    pub accepted: u64,
    /// Connections closed after finishing.
    pub closed: u64,
    /// Connections that ended in an error (reset, timed out).
    pub failed: u64,
}

/// The listeners and their connections.
#[derive(Debug)]
pub struct TcpServices {
    listeners: HashMap<SocketId, Service>,
    connections: HashMap<SocketId, Connection>,
    buf: Vec<u8>,
    counters: ServiceCounters,
}

/// Why a listener could not be opened.
#[derive(Debug)]
pub struct ListenError {
    /// The port.
    pub port: u16,
    /// The core's reason.
    pub error: SocketError,
}

impl TcpServices {
    /// Opens a dual-stack listener (`[::]:port`) per requested service. Call on the stack
    /// (under its lock), and turn on `bindings.ready_sockets` first so no event is missed.
    ///
    /// # Errors
    /// The first port that could not be listened on.
    pub fn open<B: Bindings>(
        stack: &mut Stack,
        bindings: &mut B,
        ports: &[(u16, Service)],
    ) -> Result<TcpServices, ListenError> {
        let mut services = TcpServices {
            listeners: HashMap::new(),
            connections: HashMap::new(),
            buf: vec![0; 64 * 1024],
            counters: ServiceCounters::default(),
        };
        for &(port, service) in ports {
            let local = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port);
            let opened = stack.tcp_open().and_then(|id| {
                let listening = stack
                    .tcp_bind(id, local)
                    .and_then(|()| stack.tcp_listen(bindings, id, BACKLOG));
                match listening {
                    Ok(()) => Ok(id),
                    Err(e) => {
                        let _ = stack.tcp_close(bindings, id);
                        Err(e)
                    }
                }
            });
            match opened {
                Ok(id) => {
                    services.listeners.insert(id, service);
                }
                Err(error) => {
                    services.close_all(stack, bindings);
                    return Err(ListenError { port, error });
                }
            }
        }
        Ok(services)
    }

    /// Counts so far.
    #[must_use]
    pub fn counters(&self) -> ServiceCounters {
        self.counters
    }

    /// Connections open now.
    #[must_use]
    pub fn open_connections(&self) -> usize {
        self.connections.len()
    }

    /// Serves the sockets in `ready` (ids may repeat; unknown ones are ignored).
    pub fn on_ready<B: Bindings>(
        &mut self,
        stack: &mut Stack,
        bindings: &mut B,
        ready: &[SocketId],
    ) {
        for &id in ready {
            if let Some(&service) = self.listeners.get(&id) {
                self.accept_all(stack, bindings, id, service);
            } else if self.connections.contains_key(&id) {
                self.serve(stack, bindings, id);
            }
        }
    }

    /// Takes every waiting connection from a listener and serves each once at once (a
    /// request may have come with the handshake's last ACK).
    fn accept_all<B: Bindings>(
        &mut self,
        stack: &mut Stack,
        bindings: &mut B,
        listener: SocketId,
        service: Service,
    ) {
        while let Ok((id, _peer)) = stack.tcp_accept(bindings, listener) {
            let protocol = match service {
                Service::Echo => Protocol::Echo(EchoConnection::new()),
                Service::Http => Protocol::Http(Box::default()),
            };
            self.counters.accepted += 1;
            self.connections.insert(
                id,
                Connection {
                    protocol,
                    read_eof: false,
                },
            );
            self.serve(stack, bindings, id);
        }
    }

    /// Moves bytes both ways until the socket would block both ways; closes or forgets the
    /// connection when it is done.
    fn serve<B: Bindings>(&mut self, stack: &mut Stack, bindings: &mut B, id: SocketId) {
        let Some(conn) = self.connections.get_mut(&id) else {
            return;
        };
        match pump(stack, bindings, id, conn, &mut self.buf) {
            Ok(Outcome::Open) => {}
            Ok(Outcome::Gone) => {
                self.connections.remove(&id);
                self.counters.closed += 1;
            }
            Err(_) => {
                // Reset or timed out: the core has ended the connection; free the socket.
                let _ = stack.tcp_abort(bindings, id);
                self.connections.remove(&id);
                self.counters.failed += 1;
            }
        }
    }

    /// Resets every connection and closes the listeners (the process is ending: a peer
    /// must not wait for a FIN handshake nobody will finish). Returns how many connections
    /// were reset.
    pub fn abort_all<B: Bindings>(&mut self, stack: &mut Stack, bindings: &mut B) -> usize {
        let n = self.connections.len();
        for (id, _) in self.connections.drain() {
            let _ = stack.tcp_abort(bindings, id);
        }
        for (id, _) in self.listeners.drain() {
            let _ = stack.tcp_close(bindings, id);
        }
        n
    }

    /// Closes every listener and connection (stack shutdown).
    pub fn close_all<B: Bindings>(&mut self, stack: &mut Stack, bindings: &mut B) {
        for (id, _) in self.listeners.drain() {
            let _ = stack.tcp_close(bindings, id);
        }
        for (id, _) in self.connections.drain() {
            let _ = stack.tcp_close(bindings, id);
        }
    }
}

/// One round of service for a connection: send what the protocol has, read what it has
/// room for, repeat while either made progress.
fn pump<B: Bindings>(
    stack: &mut Stack,
    bindings: &mut B,
    id: SocketId,
    conn: &mut Connection,
    buf: &mut [u8],
) -> Result<Outcome, SocketError> {
    loop {
        let mut progress = false;
        loop {
            let out = conn.protocol.pending_output();
            if out.is_empty() {
                break;
            }
            let len = out.len();
            match stack.tcp_send(bindings, id, out) {
                Ok(n) => {
                    conn.protocol.consume_output(n);
                    progress |= n > 0;
                    if n < len {
                        break; // the send buffer is full: wait for writable
                    }
                }
                Err(SocketError::WouldBlock) => break,
                Err(e) => return Err(e),
            }
        }
        if conn.protocol.should_close() {
            // Bytes left unread would turn the close into a reset (RFC 9293 3.10.4 lets
            // a stack do that, and the core does, as Linux does), which could cut the
            // answer short at the peer: read and drop them first.
            while let Ok(n) = stack.tcp_recv(bindings, id, buf) {
                if n == 0 {
                    break;
                }
            }
            stack.tcp_close(bindings, id)?;
            return Ok(Outcome::Gone);
        }
        if !conn.read_eof {
            let space = conn.protocol.input_space().min(buf.len());
            if space > 0 {
                let chunk = buf.get_mut(..space).unwrap_or_default();
                match stack.tcp_recv(bindings, id, chunk) {
                    Ok(0) => {
                        conn.read_eof = true;
                        conn.protocol.receive_eof();
                        progress = true;
                    }
                    Ok(n) => {
                        conn.protocol.receive(chunk.get(..n).unwrap_or_default());
                        progress = true;
                    }
                    Err(SocketError::WouldBlock) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if !progress {
            return Ok(Outcome::Open);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_stack::testutil::tcp::TcpPair;
    use zerocast_stack::testutil::{FakeNetwork, HostId, LinkConfig};
    use zerocast_stack::time::Duration;
    use zerocast_stack::StackConfig;

    /// A server host running the services (HTTP on 80, echo on 7) and a client host.
    struct World {
        net: FakeNetwork<Stack>,
        client: HostId,
        server: HostId,
        services: TcpServices,
    }

    impl World {
        fn new(seed: u64, link: LinkConfig) -> World {
            let TcpPair {
                mut net,
                client,
                server,
            } = TcpPair::new(seed, link, StackConfig::default());
            let services = net
                .with_host(server, |s, bc| {
                    TcpServices::open(s, bc, &[(80, Service::Http), (7, Service::Echo)])
                })
                .expect("listen");
            World {
                net,
                client,
                server,
                services,
            }
        }

        /// One step of the network, then the server's services on what became ready.
        fn step(&mut self) -> bool {
            let stepped = self.net.step();
            let services = &mut self.services;
            self.net.with_host(self.server, |s, bc| {
                let ready: Vec<SocketId> = bc.events.drain(..).map(|(id, _)| id).collect();
                services.on_ready(s, bc, &ready);
            });
            stepped
        }

        fn connect(&mut self, to: &str) -> SocketId {
            let to: SocketAddr = to.parse().unwrap();
            self.net.with_host(self.client, |s, bc| {
                let id = s.tcp_open().unwrap();
                s.tcp_connect(bc, id, to).unwrap();
                id
            })
        }

        /// Sends `request` (then half-closes if asked) and reads until the server closes;
        /// bounded by `limit` of simulated time.
        fn exchange(
            &mut self,
            to: &str,
            request: &[u8],
            half_close: bool,
            limit: Duration,
        ) -> Vec<u8> {
            let id = self.connect(to);
            let mut sent = 0;
            let mut got = Vec::new();
            let mut buf = vec![0u8; 64 * 1024];
            let end = self.net.now() + limit;
            let mut closed = false;
            while self.net.now() < end {
                let eof = self.net.with_host(self.client, |s, bc| {
                    while sent < request.len() {
                        match s.tcp_send(bc, id, &request[sent..]) {
                            Ok(n) if n > 0 => sent += n,
                            _ => break,
                        }
                    }
                    if half_close && sent == request.len() && !closed {
                        let _ = s.tcp_shutdown(bc, id, zerocast_stack::tcp::Shutdown::Write);
                        closed = true;
                    }
                    loop {
                        match s.tcp_recv(bc, id, &mut buf) {
                            Ok(0) => return true,
                            Ok(n) => got.extend_from_slice(&buf[..n]),
                            Err(SocketError::WouldBlock) => return false,
                            Err(e) => panic!("client recv: {e}"),
                        }
                    }
                });
                if eof {
                    self.net
                        .with_host(self.client, |s, bc| s.tcp_close(bc, id))
                        .unwrap();
                    return got;
                }
                if !self.step() {
                    break;
                }
            }
            panic!("no end of stream within {limit:?}; got {} bytes", got.len());
        }
    }

    fn body(response: &[u8]) -> &[u8] {
        let at = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        &response[at + 4..]
    }

    #[test]
    fn http_download_over_a_lossy_link_is_exact() {
        for (seed, loss) in [(1, 0.0), (2, 0.02), (3, 0.05)] {
            let link = LinkConfig {
                loss,
                ..LinkConfig::ideal(Duration::from_millis(5))
            };
            let mut w = World::new(seed, link);
            let n = 300_000;
            let req = format!("GET /bytes/{n} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let response = w.exchange(
                "10.0.0.2:80",
                req.as_bytes(),
                false,
                Duration::from_secs(120),
            );
            assert!(response.starts_with(b"HTTP/1.1 200 OK\r\n"), "seed {seed}");
            let body = body(&response);
            assert_eq!(body.len(), n, "seed {seed} loss {loss}");
            assert!(
                body.iter()
                    .enumerate()
                    .all(|(i, &b)| b == crate::http::pattern_byte(i as u64)),
                "seed {seed} loss {loss}: body differs"
            );
            assert_eq!(w.services.counters().closed, 1);
            assert_eq!(w.services.open_connections(), 0);
        }
    }

    #[test]
    fn http_upload_over_ipv6_reports_length_and_digest() {
        let mut w = World::new(7, LinkConfig::default());
        let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
        let mut request = format!(
            "POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        request.extend_from_slice(&payload);
        let response = w.exchange("[2001:db8::2]:80", &request, false, Duration::from_secs(60));
        let mut h = crate::sha256::Sha256::new();
        h.update(&payload);
        let want = format!(
            "received {} bytes, sha256 {}\n",
            payload.len(),
            h.hex_digest()
        );
        assert_eq!(body(&response), want.as_bytes());
    }

    #[test]
    fn echo_returns_everything_after_the_client_half_closes() {
        let mut w = World::new(9, LinkConfig::default());
        let data: Vec<u8> = (0..500_000u32).map(|i| (i * 13 % 256) as u8).collect();
        let echoed = w.exchange("10.0.0.2:7", &data, true, Duration::from_secs(60));
        assert_eq!(echoed.len(), data.len());
        assert!(echoed == data);
        assert_eq!(
            w.services.open_connections(),
            0,
            "the echo closed its side too"
        );
    }

    #[test]
    fn many_connections_are_served_at_once_and_abort_all_resets_them() {
        let mut w = World::new(11, LinkConfig::default());
        let ids: Vec<SocketId> = (0..200).map(|_| w.connect("10.0.0.2:7")).collect();
        let client = w.client;
        assert!(w.net.run_until_condition(Duration::from_secs(10), |net| {
            net.with_host(client, |s, _| {
                ids.iter()
                    .all(|&id| s.tcp_state(id) == Ok(zerocast_stack::tcp::TcpState::Established))
            })
        }));
        for _ in 0..50 {
            w.step();
        }
        assert_eq!(w.services.open_connections(), 200);
        assert_eq!(w.services.counters().accepted, 200);
        let server = w.server;
        let reset = w.net.with_host(server, |s, bc| w.services.abort_all(s, bc));
        assert_eq!(reset, 200);
        for _ in 0..50 {
            w.step();
        }
        let errors = w.net.with_host(client, |s, _| {
            ids.iter()
                .filter(|&&id| s.tcp_state(id) == Ok(zerocast_stack::tcp::TcpState::Closed))
                .count()
        });
        assert_eq!(errors, 200, "every client saw the reset");
    }
}
