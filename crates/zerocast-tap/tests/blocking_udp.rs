//! The blocking UDP sockets against the Linux kernel: the stack runs in this process on a
//! TAP whose kernel end is moved into a namespace the test makes (and deletes on drop);
//! `socat` there is the peer. Runs with `ZC_KERNEL_TESTS=1` (set by scripts/test.sh as
//! root); needs root, /dev/net/tun, `ip` and `socat` (a missing one then fails the test).

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerocast_tap::device::LinkKind;
use zerocast_tap::icmp::EchoSocket;
use zerocast_tap::netstack::{NetStack, NetStackConfig};
use zerocast_tap::udp::UdpSocket;

mod support;

use support::Namespace;

fn skip() -> bool {
    support::skip(&["ip", "socat"])
}

/// Starts a stack on a fresh TAP or TUN, moves the interface's kernel end into a new
/// namespace with 10.97.0.1/24 and fd97::1/64, and runs a socat UDP echo server on port
/// 9000 there.
fn setup(test: &str, kind: LinkKind) -> (NetStack, Namespace) {
    let tag = format!("{}{}", test, std::process::id() % 100_000);
    let ifname = format!("zcb{tag}");
    let mut peer = Namespace::new(format!("zctap-{tag}"));
    let mut config = NetStackConfig::new(&ifname, kind);
    config.mac = [0x02, 0, 0, 0, 0x97, 0x02];
    config.addresses = vec![
        ("10.97.0.2".parse().unwrap(), 24),
        ("fd97::2".parse().unwrap(), 64),
    ];
    let stack = NetStack::start(&config).expect("start the stack");
    peer.take_interface(&ifname, &["10.97.0.1/24", "fd97::1/64"]);
    peer.spawn(&["socat", "UDP6-RECVFROM:9000,ipv6only=0,fork", "PIPE"]);
    (stack, peer)
}

/// Sends `payload` until the echo comes back (socat needs a moment to listen), bounded.
fn echo_round_trip(socket: &UdpSocket, to: SocketAddr, payload: &[u8]) -> SocketAddr {
    let mut buf = [0u8; 4096];
    for _ in 0..30 {
        match socket.send_to(payload, to) {
            Ok(_) => {}
            // Our address is still tentative (DAD, RFC 4862 section 5.4): it is never
            // used as a source, so the stack has none yet.
            Err(e) if e.kind() == ErrorKind::AddrNotAvailable => {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            Err(e) => panic!("send_to {to}: {e}"),
        }
        match socket.recv_from(&mut buf) {
            Ok((len, from)) => {
                assert_eq!(&buf[..len], payload);
                return from;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
            // socat not listening yet: the kernel's port unreachable comes back.
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("recv_from: {e}"),
        }
    }
    panic!("no echo from {to}");
}

/// Over a TUN: the blocking calls alone, no neighbour resolution involved.
#[test]
fn blocking_send_and_receive_over_tun() {
    round_trips(LinkKind::Tun, "tun");
}

/// Over a TAP: the stack must resolve the kernel's MAC (ARP, NDP) before the first send.
#[test]
fn blocking_send_and_receive_over_tap() {
    round_trips(LinkKind::Tap, "tap");
}

fn round_trips(kind: LinkKind, tag: &str) {
    if skip() {
        return;
    }
    let (stack, _peer) = setup(tag, kind);
    let mut socket = UdpSocket::bind(&stack, "[::]:0".parse().unwrap()).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let local = socket.local_addr().unwrap();
    assert_ne!(local.port(), 0, "an ephemeral port was chosen");
    let v4: SocketAddr = "10.97.0.1:9000".parse().unwrap();
    assert_eq!(echo_round_trip(&socket, v4, b"over ipv4"), v4);
    let v6: SocketAddr = "[fd97::1]:9000".parse().unwrap();
    let from = echo_round_trip(&socket, v6, b"over ipv6");
    assert_eq!(from, v6);
    // A datagram larger than the MTU goes out in fragments and comes back whole.
    let big = vec![0x5a; 3000];
    assert_eq!(echo_round_trip(&socket, v4, &big), v4);
    stack.shutdown().unwrap();
}

#[test]
fn read_timeout_and_port_unreachable_surface_as_io_errors() {
    if skip() {
        return;
    }
    let (stack, _peer) = setup("err", LinkKind::Tun);
    let mut socket = UdpSocket::bind(&stack, "0.0.0.0:0".parse().unwrap()).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let started = Instant::now();
    let err = socket.recv_from(&mut [0u8; 16]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WouldBlock);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(190), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    // Nothing listens on 9999 in the namespace: the kernel answers with ICMP Port
    // Unreachable, which the connected socket reports as ConnectionRefused.
    socket.connect("10.97.0.1:9999".parse().unwrap()).unwrap();
    let mut refused = false;
    for _ in 0..10 {
        socket.send(b"anyone?").ok();
        match socket.recv(&mut [0u8; 16]) {
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                refused = true;
                break;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(refused, "the kernel's port unreachable reached the socket");
    stack.shutdown().unwrap();
}

/// The blocking echo socket pings the kernel over IPv4 and IPv6: replies carry our
/// sequence numbers and data back.
#[test]
fn echo_socket_pings_the_kernel() {
    if skip() {
        return;
    }
    let (stack, _peer) = setup("ping", LinkKind::Tun);
    let mut ping = EchoSocket::open(&stack).unwrap();
    ping.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    for (seq, dst) in [(1u16, "10.97.0.1"), (2, "fd97::1")] {
        let dst = dst.parse().unwrap();
        let data = format!("zerocast ping {seq}");
        ping.send(dst, seq, data.as_bytes()).unwrap();
        let mut buf = [0u8; 64];
        let reply = ping.recv(&mut buf).unwrap();
        assert_eq!(reply.from, dst);
        assert_eq!(reply.seq, seq);
        assert_eq!(&buf[..reply.len], data.as_bytes());
    }
    stack.shutdown().unwrap();
}
