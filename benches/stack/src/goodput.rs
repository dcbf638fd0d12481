//! Goodput versus loss on zerocast-stack's [`FakeNetwork`]: one bulk transfer over a
//! two-host link with a given one-way latency and random loss (each direction), for
//! zerocast-stack (CUBIC or NewReno, SACK on as negotiated by default) and smoltcp 0.14
//! (its CUBIC or Reno) as the hosts. The network, its seeded faults and the applications
//! are the same for both; only the stacks differ. Goodput = bytes the receiving
//! application read / simulated time from the connect call to the last byte read.
//!
//! The link has no bandwidth limit, so without loss the rate is window / RTT (256 KiB
//! socket buffers on both sides); with loss, congestion control and loss recovery decide.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::phy::{Device, DeviceCapabilities, Medium, RxToken, TxToken};
use smoltcp::socket::tcp as smol_tcp;
use smoltcp::time::Instant as SmolInstant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};
use zerocast_stack::context::{Clock, DeviceId, DeviceTx};
use zerocast_stack::tcp::{CongestionAlgorithm, TcpSocketOptions};
use zerocast_stack::testutil::{FakeBindings, FakeNetwork, HostId, LinkConfig, Node};
use zerocast_stack::time::{Duration, Instant};
use zerocast_stack::{SocketError, SocketId, Stack, StackConfig};

use crate::tcp_bulk::{pattern, BUFFER, CHUNK};

const PORT: u16 = 5001;

/// Which stack and algorithm.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Contender {
    /// zerocast-stack with this congestion control.
    Zerocast(CongestionAlgorithm),
    /// smoltcp 0.14 with its CUBIC (`true`) or Reno (`false`).
    Smoltcp { cubic: bool },
}

impl Contender {
    /// A short name for tables.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Contender::Zerocast(CongestionAlgorithm::Cubic) => "zerocast CUBIC",
            Contender::Zerocast(CongestionAlgorithm::NewReno) => "zerocast NewReno",
            Contender::Smoltcp { cubic: true } => "smoltcp CUBIC",
            Contender::Smoltcp { cubic: false } => "smoltcp Reno",
        }
    }
}

/// smoltcp as a [`Node`]: the network hands it IP packets, it polls, and its transmitted
/// packets go out through the host's [`FakeBindings`].
pub struct SmolNode {
    iface: Interface,
    device: PacketQueue,
    sockets: SocketSet<'static>,
    tcp: SocketHandle,
    /// `poll_at` after the last poll (the trait's `next_deadline` cannot poll).
    deadline: Option<Instant>,
}

#[derive(Default)]
struct PacketQueue {
    rx: VecDeque<Vec<u8>>,
    current: Vec<u8>,
    tx: Vec<Vec<u8>>,
}

struct Rx<'a>(&'a [u8]);
struct Tx<'a>(&'a mut Vec<Vec<u8>>);

impl RxToken for Rx<'_> {
    fn consume<R, F: FnOnce(&[u8]) -> R>(self, f: F) -> R {
        f(self.0)
    }
}

impl TxToken for Tx<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let mut buf = vec![0; len];
        let r = f(&mut buf);
        self.0.push(buf);
        r
    }
}

impl Device for PacketQueue {
    type RxToken<'a> = Rx<'a>;
    type TxToken<'a> = Tx<'a>;
    fn receive(&mut self, _: SmolInstant) -> Option<(Rx<'_>, Tx<'_>)> {
        self.current = self.rx.pop_front()?;
        Some((Rx(&self.current), Tx(&mut self.tx)))
    }
    fn transmit(&mut self, _: SmolInstant) -> Option<Tx<'_>> {
        Some(Tx(&mut self.tx))
    }
    fn capabilities(&self) -> DeviceCapabilities {
        let mut caps = DeviceCapabilities::default();
        caps.medium = Medium::Ip;
        caps.max_transmission_unit = 1500;
        caps
    }
}

fn to_smol(t: Instant) -> SmolInstant {
    SmolInstant::from_micros((t.as_nanos() / 1000) as i64)
}

fn from_smol(t: SmolInstant) -> Instant {
    Instant::from_nanos(u64::try_from(t.total_micros()).unwrap_or(0) * 1000)
}

impl SmolNode {
    fn new(last: u8, cubic: bool, seed: u64) -> SmolNode {
        let mut device = PacketQueue::default();
        let mut config = Config::new(HardwareAddress::Ip);
        config.random_seed = seed;
        let mut iface = Interface::new(config, &mut device, SmolInstant::ZERO);
        iface.update_ip_addrs(|a| {
            a.push(IpCidr::new(IpAddress::v4(10, 0, 0, last), 24))
                .expect("address");
        });
        let mut socket = smol_tcp::Socket::new(
            smol_tcp::SocketBuffer::new(vec![0; BUFFER]),
            smol_tcp::SocketBuffer::new(vec![0; BUFFER]),
        );
        socket.set_congestion_control(if cubic {
            smol_tcp::CongestionControl::Cubic
        } else {
            smol_tcp::CongestionControl::Reno
        });
        let mut sockets = SocketSet::new(vec![]);
        let tcp = sockets.add(socket);
        SmolNode {
            iface,
            device,
            sockets,
            tcp,
            deadline: None,
        }
    }

    /// Polls at the host's time and hands what it sent to the network.
    fn poll(&mut self, bc: &mut FakeBindings) {
        let now = bc.now();
        self.iface
            .poll(to_smol(now), &mut self.device, &mut self.sockets);
        for packet in self.device.tx.drain(..) {
            bc.transmit(FakeNetwork::<Host>::device(0), &packet);
        }
        self.deadline = self
            .iface
            .poll_at(to_smol(now), &self.sockets)
            .map(from_smol);
        // smoltcp asks for "now" when it has more to send than one poll sent; a deadline
        // that never moves would stall the simulation, so it is pushed to the next
        // microsecond.
        if self.deadline.is_some_and(|d| d <= now) {
            self.deadline = Some(now + Duration::from_micros(1));
        }
    }

    fn socket(&mut self) -> &mut smol_tcp::Socket<'static> {
        self.sockets.get_mut::<smol_tcp::Socket>(self.tcp)
    }
}

/// A host of the goodput network: either stack.
pub enum Host {
    /// zerocast-stack.
    Zc(Box<Stack>),
    /// smoltcp.
    Smol(Box<SmolNode>),
}

impl Node for Host {
    fn receive_frame(&mut self, bc: &mut FakeBindings, device: DeviceId, frame: &mut [u8]) {
        match self {
            Host::Zc(s) => s.receive_frame(bc, device, frame),
            Host::Smol(n) => {
                n.device.rx.push_back(frame.to_vec());
                n.poll(bc);
            }
        }
    }
    fn handle_timers(&mut self, bc: &mut FakeBindings) {
        match self {
            Host::Zc(s) => s.handle_timers(bc),
            Host::Smol(n) => n.poll(bc),
        }
    }
    fn next_deadline(&self) -> Option<Instant> {
        match self {
            Host::Zc(s) => s.next_deadline(),
            Host::Smol(n) => n.deadline,
        }
    }
}

/// One measured transfer.
#[derive(Copy, Clone, Debug)]
pub struct Goodput {
    /// Bytes read by the receiving application.
    pub bytes: u64,
    /// Simulated time from connect to the last byte read.
    pub elapsed: Duration,
}

impl Goodput {
    /// Megabits per second of simulated time.
    #[must_use]
    pub fn mbit_s(&self) -> f64 {
        self.bytes as f64 * 8.0 / self.elapsed.as_secs_f64().max(1e-9) / 1e6
    }
}

fn zc_host(net: &mut FakeNetwork<Host>, last: u8) -> HostId {
    let id = net.add_host(Host::Zc(Box::new(Stack::new(StackConfig::default()))));
    net.with_host(id, |h, bc| {
        if let Host::Zc(s) = h {
            let dev = s.add_pure_ip_device(1500);
            s.add_address(bc, dev, IpAddr::V4(Ipv4Addr::new(10, 0, 0, last)), 24)
                .expect("address");
        }
    });
    id
}

/// Sends `bytes` from 10.0.0.1 to 10.0.0.2 over a link with `one_way` latency and `loss`
/// (each direction, each packet), seeded with `seed`. `None` if it did not finish within
/// `limit` of simulated time.
#[must_use]
pub fn transfer(
    who: Contender,
    one_way: Duration,
    loss: f64,
    bytes: u64,
    seed: u64,
    limit: Duration,
) -> Option<Goodput> {
    let mut net: FakeNetwork<Host> = FakeNetwork::new(seed);
    let (client, server) = match who {
        Contender::Zerocast(_) => (zc_host(&mut net, 1), zc_host(&mut net, 2)),
        Contender::Smoltcp { cubic } => (
            net.add_host(Host::Smol(Box::new(SmolNode::new(1, cubic, seed ^ 1)))),
            net.add_host(Host::Smol(Box::new(SmolNode::new(2, cubic, seed ^ 2)))),
        ),
    };
    let dev = FakeNetwork::<Host>::device(0);
    net.connect(
        &[(client, dev), (server, dev)],
        LinkConfig {
            loss,
            ..LinkConfig::ideal(one_way)
        },
    );
    let ring: Vec<u8> = (0..crate::tcp_bulk::PERIOD + CHUNK as u64)
        .map(pattern)
        .collect();
    let mut app = Apps {
        written: 0,
        read: 0,
        bytes,
        ring,
        sink: vec![0; CHUNK],
        client_sock: None,
        server_sock: None,
        listener: None,
    };
    let start = net.now();
    app.open(&mut net, who, client, server);
    let end = start + limit;
    while app.read < bytes {
        app.run(&mut net, client, server);
        if app.read >= bytes {
            break;
        }
        if net.now() > end || !net.step() {
            return None;
        }
    }
    Some(Goodput {
        bytes: app.read,
        elapsed: net.now().saturating_duration_since(start),
    })
}

struct Apps {
    written: u64,
    read: u64,
    bytes: u64,
    ring: Vec<u8>,
    sink: Vec<u8>,
    client_sock: Option<SocketId>,
    server_sock: Option<SocketId>,
    listener: Option<SocketId>,
}

impl Apps {
    fn open(
        &mut self,
        net: &mut FakeNetwork<Host>,
        who: Contender,
        client: HostId,
        server: HostId,
    ) {
        let remote = SocketAddr::from(([10, 0, 0, 2], PORT));
        let options = |alg| TcpSocketOptions {
            send_buffer: BUFFER,
            recv_buffer: BUFFER,
            congestion: alg,
            ..TcpSocketOptions::default()
        };
        match who {
            Contender::Zerocast(alg) => {
                self.listener = net.with_host(server, |h, bc| {
                    let Host::Zc(s) = h else { return None };
                    let l = s.tcp_open().ok()?;
                    s.tcp_set_options(l, options(alg)).ok()?;
                    s.tcp_bind(l, SocketAddr::from(([0, 0, 0, 0], PORT))).ok()?;
                    s.tcp_listen(bc, l, 1).ok()?;
                    Some(l)
                });
                self.client_sock = net.with_host(client, |h, bc| {
                    let Host::Zc(s) = h else { return None };
                    let c = s.tcp_open().ok()?;
                    s.tcp_set_options(c, options(alg)).ok()?;
                    s.tcp_connect(bc, c, remote).ok()?;
                    Some(c)
                });
            }
            Contender::Smoltcp { .. } => {
                net.with_host(server, |h, bc| {
                    if let Host::Smol(n) = h {
                        n.socket().listen(PORT).expect("listen");
                        n.poll(bc);
                    }
                });
                net.with_host(client, |h, bc| {
                    if let Host::Smol(n) = h {
                        let cx = n.iface.context();
                        n.sockets
                            .get_mut::<smol_tcp::Socket>(n.tcp)
                            .connect(cx, (IpAddress::v4(10, 0, 0, 2), PORT), 49152)
                            .expect("connect");
                        n.poll(bc);
                    }
                });
            }
        }
    }

    /// The applications' turn: the client writes what fits, the server reads what arrived.
    fn run(&mut self, net: &mut FakeNetwork<Host>, client: HostId, server: HostId) {
        let mut written = self.written;
        let ring_chunk = |w: u64| {
            let start = (w % crate::tcp_bulk::PERIOD) as usize;
            let len = (self.bytes - w).min(CHUNK as u64) as usize;
            (start, len)
        };
        let ring = &self.ring;
        net.with_host(client, |h, bc| match h {
            Host::Zc(s) => {
                let Some(c) = self.client_sock else { return };
                while written < self.bytes {
                    let (start, len) = ring_chunk(written);
                    match s.tcp_send(bc, c, &ring[start..start + len]) {
                        Ok(0) | Err(SocketError::WouldBlock) => break,
                        Ok(n) => written += n as u64,
                        Err(e) => panic!("send: {e}"),
                    }
                }
            }
            Host::Smol(n) => {
                let mut sent_any = false;
                while written < self.bytes && n.socket().can_send() {
                    let (start, len) = ring_chunk(written);
                    match n.socket().send_slice(&ring[start..start + len]) {
                        Ok(0) | Err(_) => break,
                        Ok(k) => {
                            written += k as u64;
                            sent_any = true;
                        }
                    }
                }
                if sent_any {
                    n.poll(bc);
                }
            }
        });
        self.written = written;
        let mut read = self.read;
        let sink = &mut self.sink;
        let listener = self.listener;
        let mut server_sock = self.server_sock;
        net.with_host(server, |h, bc| match h {
            Host::Zc(s) => {
                if server_sock.is_none() {
                    if let Some(l) = listener {
                        if let Ok((id, _)) = s.tcp_accept(bc, l) {
                            server_sock = Some(id);
                        }
                    }
                }
                let Some(id) = server_sock else { return };
                loop {
                    match s.tcp_recv(bc, id, sink) {
                        Ok(0) | Err(SocketError::WouldBlock) => break,
                        Ok(n) => {
                            check(&sink[..n], read);
                            read += n as u64;
                        }
                        Err(e) => panic!("recv: {e}"),
                    }
                }
            }
            Host::Smol(n) => {
                let mut got_any = false;
                while n.socket().can_recv() {
                    match n.socket().recv_slice(sink) {
                        Ok(0) | Err(_) => break,
                        Ok(k) => {
                            check(&sink[..k], read);
                            read += k as u64;
                            got_any = true;
                        }
                    }
                }
                if got_any {
                    n.poll(bc);
                }
            }
        });
        self.read = read;
        self.server_sock = server_sock;
    }
}

fn check(data: &[u8], offset: u64) {
    for (k, &b) in data.iter().enumerate().step_by(97) {
        assert_eq!(
            b,
            pattern(offset + k as u64),
            "byte {} wrong",
            offset + k as u64
        );
    }
}
