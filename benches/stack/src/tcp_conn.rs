//! Connection setup, 1-byte request/response and idle connections, for zerocast-stack and
//! smoltcp 0.14 driven the same way: two hosts joined in memory (pure-IP devices, MTU 1500),
//! every frame one side sends delivered to the other before the next step, the clock
//! advancing 10 microseconds per step (per connection or per round trip).
//!
//! - A connection ([`ZcConns::connection`], [`SmolConns::connection`]): the client opens,
//!   the server accepts, one byte goes each way, the client closes, the server closes, and
//!   both ends reach TIME-WAIT / CLOSED. zerocast-stack keeps the client's TIME-WAIT (its
//!   `time_wait` set to 1 ms so the table stays small, expiring through its timers);
//!   smoltcp's client socket is dropped once it reaches TIME-WAIT (its TIME-WAIT is a fixed
//!   10 s, and a socket per connection is how its users open many).
//! - A round trip ([`ZcConns::round_trip`], [`SmolConns::round_trip`]): on one established
//!   connection, the client writes one byte, the server reads it and writes one byte back,
//!   the client reads it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use zerocast_stack::context::DeviceId;
use zerocast_stack::context::SocketId;
use zerocast_stack::tcp::TcpState;
use zerocast_stack::time::{Duration, Instant};
use zerocast_stack::{SocketError, Stack, StackConfig};

use crate::tcp_bulk::QueueBindings;

const PORT: u16 = 7000;
/// Simulated time per step.
pub const STEP: Duration = Duration::from_micros(10);

fn host(v4: [u8; 4], bc: &mut QueueBindings) -> (Stack, DeviceId) {
    let mut config = StackConfig::default();
    config.tcp.time_wait = Duration::from_millis(1);
    let mut stack = Stack::new(config);
    let dev = stack.add_pure_ip_device(1500);
    stack
        .add_address(bc, dev, IpAddr::V4(Ipv4Addr::from(v4)), 24)
        .expect("address");
    (stack, dev)
}

/// Two zerocast stacks, a client (10.0.0.1) and a server listening on 10.0.0.2:7000.
pub struct ZcConns {
    /// The client's stack.
    pub a: Stack,
    /// The server's stack.
    pub b: Stack,
    abc: QueueBindings,
    bbc: QueueBindings,
    adev: DeviceId,
    bdev: DeviceId,
    listener: SocketId,
    now: Instant,
    /// Connections completed.
    pub done: u64,
}

impl Default for ZcConns {
    fn default() -> Self {
        Self::new()
    }
}

impl ZcConns {
    /// The two hosts and the listener (backlog 1,024).
    #[must_use]
    pub fn new() -> ZcConns {
        let mut abc = QueueBindings::default();
        let mut bbc = QueueBindings {
            rng: 7,
            ..QueueBindings::default()
        };
        let (a, adev) = host([10, 0, 0, 1], &mut abc);
        let (mut b, bdev) = host([10, 0, 0, 2], &mut bbc);
        let listener = b.tcp_open().expect("open");
        b.tcp_bind(listener, SocketAddr::from(([0, 0, 0, 0], PORT)))
            .expect("bind");
        b.tcp_listen(&mut bbc, listener, 1024).expect("listen");
        ZcConns {
            a,
            b,
            abc,
            bbc,
            adev,
            bdev,
            listener,
            now: Instant::ZERO,
            done: 0,
        }
    }

    fn step(&mut self) {
        self.now += STEP;
        self.abc.now = self.now;
        self.bbc.now = self.now;
        if self.a.next_deadline().is_some_and(|d| d <= self.now) {
            self.a.handle_timers(&mut self.abc);
        }
        if self.b.next_deadline().is_some_and(|d| d <= self.now) {
            self.b.handle_timers(&mut self.bbc);
        }
    }

    /// Moves queued frames both ways until both queues are empty.
    fn deliver(&mut self) {
        loop {
            let mut moved = false;
            while let Some(mut f) = self.abc.out.pop_front() {
                self.b.receive_frame(&mut self.bbc, self.bdev, &mut f);
                self.abc.pool.push(f);
                moved = true;
            }
            while let Some(mut f) = self.bbc.out.pop_front() {
                self.a.receive_frame(&mut self.abc, self.adev, &mut f);
                self.bbc.pool.push(f);
                moved = true;
            }
            if !moved {
                break;
            }
        }
    }

    /// Opens a connection and returns (client, server), both established.
    pub fn open(&mut self) -> (SocketId, SocketId) {
        let client = self.a.tcp_open().expect("open");
        self.a
            .tcp_connect(
                &mut self.abc,
                client,
                SocketAddr::from(([10, 0, 0, 2], PORT)),
            )
            .expect("connect");
        self.deliver();
        let (server, _) = self
            .b
            .tcp_accept(&mut self.bbc, self.listener)
            .expect("accepted");
        assert_eq!(self.a.tcp_state(client), Ok(TcpState::Established));
        (client, server)
    }

    fn recv_one(stack: &mut Stack, bc: &mut QueueBindings, id: SocketId) -> u8 {
        let mut byte = [0u8; 1];
        assert_eq!(stack.tcp_recv(bc, id, &mut byte), Ok(1));
        byte[0]
    }

    /// One 1-byte request and its 1-byte reply on an open connection.
    pub fn round_trip(&mut self, client: SocketId, server: SocketId) {
        self.step();
        assert_eq!(self.a.tcp_send(&mut self.abc, client, b"q"), Ok(1));
        self.deliver();
        assert_eq!(Self::recv_one(&mut self.b, &mut self.bbc, server), b'q');
        assert_eq!(self.b.tcp_send(&mut self.bbc, server, b"r"), Ok(1));
        self.deliver();
        assert_eq!(Self::recv_one(&mut self.a, &mut self.abc, client), b'r');
    }

    /// One whole connection: open, one round trip, close from both ends.
    pub fn connection(&mut self) {
        self.step();
        let (client, server) = self.open();
        self.round_trip(client, server);
        self.a.tcp_close(&mut self.abc, client).expect("close");
        self.deliver();
        self.b.tcp_close(&mut self.bbc, server).expect("close");
        self.deliver();
        self.done += 1;
    }

    /// Opens `n` connections and leaves them idle; returns them.
    pub fn idle(&mut self, n: usize) -> Vec<(SocketId, SocketId)> {
        (0..n)
            .map(|_| {
                self.step();
                self.open()
            })
            .collect()
    }

    /// Whether a socket has bytes or an error waiting (used to check idleness).
    pub fn quiet(&mut self, id: SocketId) -> bool {
        let mut byte = [0u8; 1];
        matches!(
            self.b.tcp_recv(&mut self.bbc, id, &mut byte),
            Err(SocketError::WouldBlock)
        )
    }
}

/// smoltcp's side: two interfaces over in-memory devices, one socket per connection end.
pub mod smol {
    use super::*;
    use crate::tcp_bulk::smol::QueueDevice;
    use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
    use smoltcp::socket::tcp;
    use smoltcp::time::Instant as SmolInstant;
    use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};

    /// One host.
    pub struct Host {
        iface: Interface,
        device: QueueDevice,
        /// Its sockets.
        pub sockets: SocketSet<'static>,
    }

    impl Host {
        fn new(last: u8, seed: u64) -> Host {
            let mut device = QueueDevice::default();
            let mut config = Config::new(HardwareAddress::Ip);
            config.random_seed = seed;
            let mut iface = Interface::new(config, &mut device, SmolInstant::ZERO);
            iface.update_ip_addrs(|addrs| {
                addrs
                    .push(IpCidr::new(IpAddress::v4(10, 0, 0, last), 24))
                    .expect("address");
            });
            Host {
                iface,
                device,
                sockets: SocketSet::new(vec![]),
            }
        }

        fn poll(&mut self, now: Instant) {
            let t = SmolInstant::from_micros((now.as_nanos() / 1000) as i64);
            self.iface.poll(t, &mut self.device, &mut self.sockets);
        }

        fn tcp(&mut self, h: SocketHandle) -> &mut tcp::Socket<'static> {
            self.sockets.get_mut::<tcp::Socket>(h)
        }
    }

    /// A socket with `rx` and `tx` byte buffers.
    #[must_use]
    pub fn socket(rx: usize, tx: usize) -> tcp::Socket<'static> {
        tcp::Socket::new(
            tcp::SocketBuffer::new(vec![0; rx]),
            tcp::SocketBuffer::new(vec![0; tx]),
        )
    }

    /// Two smoltcp hosts driven as [`ZcConns`].
    pub struct SmolConns {
        /// The client.
        pub a: Host,
        /// The server.
        pub b: Host,
        now: Instant,
        port: u16,
        /// Socket buffer sizes (receive, send) of each new socket.
        pub buffers: (usize, usize),
        /// Connections completed.
        pub done: u64,
    }

    impl SmolConns {
        /// The two hosts; each new socket gets `buffers` (receive, send).
        #[must_use]
        pub fn new(buffers: (usize, usize)) -> SmolConns {
            SmolConns {
                a: Host::new(1, 1),
                b: Host::new(2, 2),
                now: Instant::ZERO,
                port: 49152,
                buffers,
                done: 0,
            }
        }

        /// Polls both hosts, moving frames, until neither has anything to send.
        fn deliver(&mut self) {
            loop {
                self.a.poll(self.now);
                let mut moved = false;
                while let Some(f) = self.a.device.tx.pop_front() {
                    self.b.device.rx.push_back(f);
                    moved = true;
                }
                self.b.poll(self.now);
                while let Some(f) = self.b.device.tx.pop_front() {
                    self.a.device.rx.push_back(f);
                    moved = true;
                }
                if !moved {
                    break;
                }
            }
        }

        /// Opens a connection: a listening socket on the server becomes its end.
        pub fn open(&mut self) -> (SocketHandle, SocketHandle) {
            let (rx, tx) = self.buffers;
            let mut listener = socket(rx, tx);
            listener.listen(PORT).expect("listen");
            let server = self.b.sockets.add(listener);
            let client = self.a.sockets.add(socket(rx, tx));
            self.port = if self.port == u16::MAX {
                49152
            } else {
                self.port + 1
            };
            let cx = self.a.iface.context();
            self.a
                .sockets
                .get_mut::<tcp::Socket>(client)
                .connect(cx, (IpAddress::v4(10, 0, 0, 2), PORT), self.port)
                .expect("connect");
            self.deliver();
            assert_eq!(self.a.tcp(client).state(), tcp::State::Established);
            assert_eq!(self.b.tcp(server).state(), tcp::State::Established);
            (client, server)
        }

        /// One 1-byte request and its 1-byte reply.
        pub fn round_trip(&mut self, client: SocketHandle, server: SocketHandle) {
            self.now += STEP;
            assert_eq!(self.a.tcp(client).send_slice(b"q"), Ok(1));
            self.deliver();
            let mut byte = [0u8; 1];
            assert_eq!(self.b.tcp(server).recv_slice(&mut byte), Ok(1));
            assert_eq!(&byte, b"q");
            assert_eq!(self.b.tcp(server).send_slice(b"r"), Ok(1));
            self.deliver();
            assert_eq!(self.a.tcp(client).recv_slice(&mut byte), Ok(1));
            assert_eq!(&byte, b"r");
        }

        /// One whole connection, as [`ZcConns::connection`].
        pub fn connection(&mut self) {
            self.now += STEP;
            let (client, server) = self.open();
            self.round_trip(client, server);
            self.a.tcp(client).close();
            self.deliver();
            self.b.tcp(server).close();
            self.deliver();
            assert_eq!(self.a.tcp(client).state(), tcp::State::TimeWait);
            assert_eq!(self.b.tcp(server).state(), tcp::State::Closed);
            self.a.sockets.remove(client);
            self.b.sockets.remove(server);
            self.done += 1;
        }

        /// Opens `n` connections and leaves them idle.
        pub fn idle(&mut self, n: usize) -> Vec<(SocketHandle, SocketHandle)> {
            (0..n)
                .map(|_| {
                    self.now += STEP;
                    self.open()
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zerocast_connections_and_round_trips_complete() {
        let mut z = ZcConns::new();
        for _ in 0..5 {
            z.connection();
        }
        let (c, s) = z.open();
        for _ in 0..5 {
            z.round_trip(c, s);
        }
        assert!(z.quiet(s));
        assert_eq!(z.done, 5);
    }

    #[test]
    fn smoltcp_connections_and_round_trips_complete() {
        let mut m = smol::SmolConns::new((4096, 4096));
        for _ in 0..5 {
            m.connection();
        }
        let (c, s) = m.open();
        for _ in 0..5 {
            m.round_trip(c, s);
        }
        assert_eq!(m.done, 5);
    }
}
