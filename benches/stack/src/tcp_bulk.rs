//! Single-flow TCP bulk transfer between two stacks joined in memory, for zerocast-stack and
//! smoltcp 0.14 driven the same way: pure-IP devices (MTU 1500, so MSS 1460), 256 KiB send
//! and receive buffers, the sender's application writing 64 KiB chunks whenever it can, the
//! receiver's application reading everything after each delivered batch. Every frame one
//! side transmits reaches the other side unchanged, in order, after the sender's turn
//! (no loss), as one burst: zerocast-stack receives the sender's frames of a round through
//! `Stack::receive_burst` (one ACK per burst, GRO-style), smoltcp in one `poll` over its
//! receive queue (it acknowledges once per poll); the clock advances 10 microseconds per round, so RTT samples are nonzero and
//! delayed-ACK timers can fire. Both contenders get the same rounds, the same buffers and
//! the same payload bytes. The stream repeats with a prime period (65,521 bytes, so it never
//! lines up with segment or buffer sizes) and is written straight from a prefilled ring, so
//! the application costs no per-byte work beyond the copy into the stack; the receiver
//! checks every byte when `CHECK_EVERY` is 1 (tests) and one byte in 4,096 otherwise.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use zerocast_stack::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
use zerocast_stack::tcp::{CongestionAlgorithm, TcpSocketOptions, TcpState};
use zerocast_stack::time::{Duration, Instant};
use zerocast_stack::{SocketError, Stack, StackConfig};

/// Socket buffers on both sides (send and receive).
pub const BUFFER: usize = 256 * 1024;
/// The application's write size.
pub const CHUNK: usize = 64 * 1024;
/// Simulated time per round.
pub const ROUND: Duration = Duration::from_micros(10);
const PORT: u16 = 5001;

/// The stream's period: prime, so it never lines up with segment or buffer sizes.
pub const PERIOD: u64 = 65_521;

/// The byte at offset `i` of the stream (position-dependent within a period).
#[must_use]
pub fn pattern(i: u64) -> u8 {
    let i = i % PERIOD;
    (i.wrapping_mul(31) ^ (i >> 9)) as u8
}

/// One period of the stream followed by one chunk more, so any offset's next chunk is a
/// contiguous slice: `ring[offset % PERIOD..][..CHUNK]`.
fn ring() -> Vec<u8> {
    (0..PERIOD + CHUNK as u64).map(pattern).collect()
}

fn next_chunk(ring: &[u8], offset: u64) -> &[u8] {
    let start = (offset % PERIOD) as usize;
    &ring[start..start + CHUNK]
}

/// Bytes the receiver checks: all in tests, one in 4,096 when measuring.
pub static CHECK_EVERY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// Checks received bytes against the pattern; panics on the first wrong one.
fn check(data: &[u8], offset: u64) {
    let every = CHECK_EVERY
        .load(std::sync::atomic::Ordering::Relaxed)
        .max(1);
    for k in (0..data.len()).step_by(every) {
        assert_eq!(
            data[k],
            pattern(offset + k as u64),
            "byte {} wrong",
            offset + k as u64
        );
    }
}

/// The embedder of one zerocast stack: a clock the driver sets, a counter RNG, and a queue
/// of transmitted frames in reusable buffers.
#[derive(Default)]
pub struct QueueBindings {
    pub(crate) now: Instant,
    pub(crate) rng: u64,
    pub(crate) out: VecDeque<Vec<u8>>,
    pub(crate) pool: Vec<Vec<u8>>,
}

impl Clock for QueueBindings {
    fn now(&self) -> Instant {
        self.now
    }
}

impl Rng for QueueBindings {
    fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.rng ^ (self.rng >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z ^ (z >> 31)
    }
}

impl DeviceTx for QueueBindings {
    fn transmit(&mut self, _: DeviceId, frame: &[u8]) {
        let mut buf = self.pool.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(frame);
        self.out.push_back(buf);
    }

    // The stack's own transmit buffer is queued as it is and a pooled one left in its
    // place, as smoltcp's side has the stack write into a pooled buffer: no copy either way.
    fn transmit_vec(&mut self, _: DeviceId, frame: &mut Vec<u8>) {
        let spare = self.pool.pop().unwrap_or_default();
        self.out.push_back(std::mem::replace(frame, spare));
    }
}

impl SocketEvents for QueueBindings {
    fn socket_ready(&mut self, _: SocketId, _: Readiness) {}
}

/// Two zerocast stacks, 10.0.0.1 (sender) and 10.0.0.2 (receiver), with an established
/// connection between them.
pub struct ZcPair {
    a: Stack,
    b: Stack,
    abc: QueueBindings,
    bbc: QueueBindings,
    adev: DeviceId,
    bdev: DeviceId,
    client: SocketId,
    server: SocketId,
    chunk: Vec<u8>,
    sink: Vec<u8>,
    /// Bytes the sender's application has written.
    pub written: u64,
    /// Bytes the receiver's application has read (and checked).
    pub read: u64,
    /// Frames moved between the stacks.
    pub frames: u64,
    now: Instant,
}

pub(crate) fn zc_host(v4: [u8; 4], bc: &mut QueueBindings) -> (Stack, DeviceId) {
    let mut stack = Stack::new(StackConfig::default());
    let dev = stack.add_pure_ip_device(1500);
    stack
        .add_address(bc, dev, IpAddr::V4(Ipv4Addr::from(v4)), 24)
        .expect("address");
    (stack, dev)
}

impl ZcPair {
    /// Two stacks with `alg` on the sender, connected.
    #[must_use]
    pub fn new(alg: CongestionAlgorithm) -> ZcPair {
        let mut abc = QueueBindings::default();
        let mut bbc = QueueBindings {
            rng: 7,
            ..QueueBindings::default()
        };
        let (mut a, adev) = zc_host([10, 0, 0, 1], &mut abc);
        let (mut b, bdev) = zc_host([10, 0, 0, 2], &mut bbc);
        let options = TcpSocketOptions {
            send_buffer: BUFFER,
            recv_buffer: BUFFER,
            congestion: alg,
            ..TcpSocketOptions::default()
        };
        let listener = b.tcp_open().expect("open");
        b.tcp_set_options(listener, options).expect("options");
        b.tcp_bind(listener, SocketAddr::from(([0, 0, 0, 0], PORT)))
            .expect("bind");
        b.tcp_listen(&mut bbc, listener, 1).expect("listen");
        let client = a.tcp_open().expect("open");
        a.tcp_set_options(client, options).expect("options");
        a.tcp_connect(&mut abc, client, SocketAddr::from(([10, 0, 0, 2], PORT)))
            .expect("connect");
        let mut pair = ZcPair {
            a,
            b,
            abc,
            bbc,
            adev,
            bdev,
            client,
            server: listener,
            chunk: ring(),
            sink: vec![0; CHUNK],
            written: 0,
            read: 0,
            frames: 0,
            now: Instant::ZERO,
        };
        for _ in 0..100 {
            pair.deliver();
            if let Ok((server, _)) = pair.b.tcp_accept(&mut pair.bbc, listener) {
                pair.server = server;
                pair.b.tcp_set_options(server, options).expect("options");
                break;
            }
        }
        assert_eq!(pair.a.tcp_state(client), Ok(TcpState::Established));
        assert_ne!(pair.server, listener, "accepted");
        pair
    }

    /// Moves every queued frame across, both ways, until both queues are empty.
    fn deliver(&mut self) {
        loop {
            let mut moved = false;
            while let Some(mut f) = self.abc.out.pop_front() {
                self.b.receive_frame(&mut self.bbc, self.bdev, &mut f);
                self.abc.pool.push(f);
                self.frames += 1;
                moved = true;
            }
            while let Some(mut f) = self.bbc.out.pop_front() {
                self.a.receive_frame(&mut self.abc, self.adev, &mut f);
                self.bbc.pool.push(f);
                self.frames += 1;
                moved = true;
            }
            if !moved {
                break;
            }
        }
    }

    /// One round: the clock moves, due timers run, the sender writes what fits, the frames
    /// cross, the receiver reads everything, its ACKs cross.
    pub fn round(&mut self) {
        self.now += ROUND;
        self.abc.now = self.now;
        self.bbc.now = self.now;
        if self.a.next_deadline().is_some_and(|d| d <= self.now) {
            self.a.handle_timers(&mut self.abc);
        }
        if self.b.next_deadline().is_some_and(|d| d <= self.now) {
            self.b.handle_timers(&mut self.bbc);
        }
        loop {
            let chunk = next_chunk(&self.chunk, self.written);
            match self.a.tcp_send(&mut self.abc, self.client, chunk) {
                Ok(0) | Err(SocketError::WouldBlock) => break,
                Ok(n) => self.written += n as u64,
                Err(e) => panic!("send: {e}"),
            }
        }
        // Everything the sender sent this round arrives together, as one poll of a device
        // ring (smoltcp's side: one `poll` over its receive queue).
        self.frames += self.abc.out.len() as u64;
        self.b.receive_burst(
            &mut self.bbc,
            self.bdev,
            self.abc.out.iter_mut().map(Vec::as_mut_slice),
        );
        self.abc.pool.extend(self.abc.out.drain(..));
        loop {
            match self.b.tcp_recv(&mut self.bbc, self.server, &mut self.sink) {
                Ok(0) | Err(SocketError::WouldBlock) => break,
                Ok(n) => {
                    check(&self.sink[..n], self.read);
                    self.read += n as u64;
                }
                Err(e) => panic!("recv: {e}"),
            }
        }
        while let Some(mut f) = self.bbc.out.pop_front() {
            self.a.receive_frame(&mut self.abc, self.adev, &mut f);
            self.bbc.pool.push(f);
            self.frames += 1;
        }
    }

    /// Runs rounds until the receiver has read `bytes` more; returns the rounds taken.
    pub fn transfer(&mut self, bytes: u64) -> u64 {
        let target = self.read + bytes;
        let mut rounds = 0;
        while self.read < target {
            self.round();
            rounds += 1;
            assert!(rounds < 100_000_000, "stalled at {} of {target}", self.read);
        }
        rounds
    }
}

/// smoltcp's side: a device with queues of owned frames.
pub mod smol {
    use super::*;
    use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
    use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
    use smoltcp::socket::tcp;
    use smoltcp::time::Instant as SmolInstant;
    use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};

    /// A pure-IP device: frames received wait in `rx`, frames transmitted go to `tx`, all
    /// in reusable buffers.
    #[derive(Default)]
    pub struct QueueDevice {
        pub(crate) rx: VecDeque<Vec<u8>>,
        current: Vec<u8>,
        pub(crate) tx: VecDeque<Vec<u8>>,
        pub(crate) pool: Vec<Vec<u8>>,
    }

    pub struct Rx<'a>(&'a [u8]);
    pub struct Tx<'a> {
        tx: &'a mut VecDeque<Vec<u8>>,
        pool: &'a mut Vec<Vec<u8>>,
    }

    impl RxToken for Rx<'_> {
        fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
            f(self.0)
        }
    }

    impl TxToken for Tx<'_> {
        fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
            let mut buf = self.pool.pop().unwrap_or_default();
            buf.clear();
            buf.resize(len, 0);
            let r = f(&mut buf);
            self.tx.push_back(buf);
            r
        }
    }

    impl Device for QueueDevice {
        type RxToken<'a> = Rx<'a>;
        type TxToken<'a> = Tx<'a>;
        fn receive(&mut self, _: SmolInstant) -> Option<(Rx<'_>, Tx<'_>)> {
            let frame = self.rx.pop_front()?;
            let old = core::mem::replace(&mut self.current, frame);
            self.pool.push(old);
            Some((
                Rx(&self.current),
                Tx {
                    tx: &mut self.tx,
                    pool: &mut self.pool,
                },
            ))
        }
        fn transmit(&mut self, _: SmolInstant) -> Option<Tx<'_>> {
            Some(Tx {
                tx: &mut self.tx,
                pool: &mut self.pool,
            })
        }
        fn capabilities(&self) -> DeviceCapabilities {
            let mut caps = DeviceCapabilities::default();
            caps.medium = Medium::Ip;
            caps.max_transmission_unit = 1500;
            caps
        }
    }

    /// One smoltcp host: interface, device and one TCP socket.
    pub struct SmolHost {
        pub iface: Interface,
        pub device: QueueDevice,
        pub sockets: SocketSet<'static>,
        pub tcp: SocketHandle,
    }

    impl SmolHost {
        /// A host at 10.0.0.`last`/24 with one TCP socket using `cc`.
        #[must_use]
        pub fn new(last: u8, cc: tcp::CongestionControl, seed: u64) -> SmolHost {
            let mut device = QueueDevice::default();
            let mut config = Config::new(HardwareAddress::Ip);
            config.random_seed = seed;
            let mut iface = Interface::new(config, &mut device, SmolInstant::ZERO);
            iface.update_ip_addrs(|addrs| {
                addrs
                    .push(IpCidr::new(IpAddress::v4(10, 0, 0, last), 24))
                    .expect("address");
            });
            let rx = tcp::SocketBuffer::new(vec![0; BUFFER]);
            let tx = tcp::SocketBuffer::new(vec![0; BUFFER]);
            let mut socket = tcp::Socket::new(rx, tx);
            socket.set_congestion_control(cc);
            let mut sockets = SocketSet::new(vec![]);
            let tcp = sockets.add(socket);
            SmolHost {
                iface,
                device,
                sockets,
                tcp,
            }
        }

        /// Polls at `now` (microseconds).
        pub fn poll(&mut self, now: Instant) {
            let t = SmolInstant::from_micros((now.as_nanos() / 1000) as i64);
            self.iface.poll(t, &mut self.device, &mut self.sockets);
        }

        /// The socket.
        pub fn socket(&mut self) -> &mut tcp::Socket<'static> {
            self.sockets.get_mut::<tcp::Socket>(self.tcp)
        }
    }

    /// Two smoltcp hosts with an established connection, driven like [`ZcPair`].
    pub struct SmolPair {
        a: SmolHost,
        b: SmolHost,
        chunk: Vec<u8>,
        sink: Vec<u8>,
        /// Bytes written by the sender's application.
        pub written: u64,
        /// Bytes read (and checked) by the receiver's application.
        pub read: u64,
        /// Frames moved between the stacks.
        pub frames: u64,
        now: Instant,
    }

    impl SmolPair {
        /// Two hosts, the sender using `cc`, connected.
        #[must_use]
        pub fn new(cc: tcp::CongestionControl) -> SmolPair {
            let mut a = SmolHost::new(1, cc, 1);
            let mut b = SmolHost::new(2, cc, 2);
            b.socket().listen(PORT).expect("listen");
            let cx = a.iface.context();
            a.sockets
                .get_mut::<tcp::Socket>(a.tcp)
                .connect(cx, (IpAddress::v4(10, 0, 0, 2), PORT), 49152)
                .expect("connect");
            let mut pair = SmolPair {
                a,
                b,
                chunk: ring(),
                sink: vec![0; CHUNK],
                written: 0,
                read: 0,
                frames: 0,
                now: Instant::ZERO,
            };
            for _ in 0..100 {
                pair.round();
                if pair.a.socket().state() == tcp::State::Established
                    && pair.b.socket().state() == tcp::State::Established
                {
                    break;
                }
            }
            assert_eq!(pair.a.socket().state(), tcp::State::Established);
            pair
        }

        fn cross(from: &mut SmolHost, to: &mut SmolHost, frames: &mut u64) {
            while let Some(f) = from.device.tx.pop_front() {
                to.device.rx.push_back(f);
                *frames += 1;
            }
        }

        /// One round, as [`ZcPair::round`]: the sender's application writes, the sender
        /// polls, frames cross, the receiver polls and reads, polls its ACKs out, they cross.
        pub fn round(&mut self) {
            self.now += ROUND;
            loop {
                if !self.a.socket().can_send() {
                    break;
                }
                let chunk = next_chunk(&self.chunk, self.written);
                match self
                    .a
                    .sockets
                    .get_mut::<tcp::Socket>(self.a.tcp)
                    .send_slice(chunk)
                {
                    Ok(0) | Err(_) => break,
                    Ok(n) => self.written += n as u64,
                }
            }
            self.a.poll(self.now);
            Self::cross(&mut self.a, &mut self.b, &mut self.frames);
            self.b.poll(self.now);
            // The receiver's consumed frames go back to the sender's pool, as the zerocast
            // side returns them: otherwise the sender allocates a buffer per data frame and
            // the receiver's pool grows without bound (page faults: system time).
            let (from, to) = (&mut self.b.device.pool, &mut self.a.device.pool);
            to.append(from);
            loop {
                let socket = self.b.sockets.get_mut::<tcp::Socket>(self.b.tcp);
                if !socket.can_recv() {
                    break;
                }
                match socket.recv_slice(&mut self.sink) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        check(&self.sink[..n], self.read);
                        self.read += n as u64;
                    }
                }
            }
            self.b.poll(self.now);
            Self::cross(&mut self.b, &mut self.a, &mut self.frames);
            self.a.poll(self.now);
        }

        /// Runs rounds until the receiver has read `bytes` more; returns the rounds taken.
        pub fn transfer(&mut self, bytes: u64) -> u64 {
            let target = self.read + bytes;
            let mut rounds = 0;
            while self.read < target {
                self.round();
                rounds += 1;
                assert!(rounds < 100_000_000, "stalled at {} of {target}", self.read);
            }
            rounds
        }
    }
}
