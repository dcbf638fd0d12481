//! The blocking TCP types against the Linux kernel: the stack runs in this process on a TAP
//! whose kernel end is moved into a namespace the test makes (and deletes on drop); socat
//! and python3 there are the peers. Runs with `ZC_KERNEL_TESTS=1` (set by scripts/test.sh
//! as root); needs root, /dev/net/tun, `ip`, `ss`, `socat` and `python3` (a missing one
//! then fails the test).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::process::Stdio;
use std::time::{Duration, Instant};

use zerocast_stack::tcp::TcpState;
use zerocast_tap::device::LinkKind;
use zerocast_tap::netstack::{NetStack, NetStackConfig};
use zerocast_tap::tcp::{TcpListener, TcpStream};

mod support;

use support::Namespace;

fn skip() -> bool {
    support::skip(&["ip", "ss", "socat", "python3"])
}

/// A stack on a fresh TAP (10.95.0.2/24, fd95::2/64) whose kernel end is in a new
/// namespace with 10.95.0.1/24 and fd95::1/64.
fn setup(test: &str) -> (NetStack, Namespace) {
    let tag = format!("{}{}", test, std::process::id() % 100_000);
    let ifname = format!("zct{tag}");
    let peer = Namespace::new(format!("zctcp-{tag}"));
    let mut config = NetStackConfig::new(&ifname, LinkKind::Tap);
    config.mac = [0x02, 0, 0, 0, 0x95, 0x02];
    config.addresses = vec![
        ("10.95.0.2".parse().unwrap(), 24),
        ("fd95::2".parse().unwrap(), 64),
    ];
    let stack = NetStack::start(&config).expect("start the stack");
    peer.take_interface(&ifname, &["10.95.0.1/24", "fd95::1/64"]);
    (stack, peer)
}

/// Connects, retrying while our IPv6 address is still tentative (DAD, about a second).
fn connect(stack: &NetStack, to: SocketAddr) -> std::io::Result<TcpStream> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpStream::connect_timeout(stack, to, Duration::from_secs(5)) {
            Err(e) if e.kind() == ErrorKind::AddrNotAvailable && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 256) as u8).collect()
}

/// connect, write, half-close, read to EOF, over IPv4 and IPv6, against a kernel echo; the
/// addresses and the nodelay option read back what was set.
#[test]
fn stream_to_a_kernel_echo_with_half_close() {
    if skip() {
        return;
    }
    let (stack, mut peer) = setup("echo");
    peer.spawn(&["socat", "TCP6-LISTEN:7000,ipv6only=0,fork", "EXEC:cat"]);
    peer.wait_listening(7000);
    for to in ["10.95.0.1:7000", "[fd95::1]:7000"] {
        let to: SocketAddr = to.parse().unwrap();
        let stream = connect(&stack, to).unwrap_or_else(|e| panic!("connect {to}: {e}"));
        assert_eq!(stream.peer_addr().unwrap(), to);
        assert_eq!(stream.local_addr().unwrap().is_ipv4(), to.is_ipv4());
        assert_eq!(stream.state().unwrap(), TcpState::Established);
        stream.set_nodelay(true).unwrap();
        assert!(stream.nodelay().unwrap());
        let data = pattern(1_000_000);
        let received = std::thread::scope(|s| {
            let reader = s.spawn(|| {
                let mut got = Vec::new();
                (&stream).read_to_end(&mut got).map(|_| got)
            });
            (&stream).write_all(&data).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            reader.join().unwrap().unwrap()
        });
        assert_eq!(received.len(), data.len(), "{to}");
        assert!(received == data, "{to}: echo differs");
        // After the half-close, writing is a broken pipe.
        let err = (&stream).write(b"more").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BrokenPipe, "{err}");
    }
    stack.shutdown().unwrap();
}

/// TcpListener::accept from kernel clients; the kernel half-closes and gets our answer.
#[test]
fn listener_accepts_kernel_clients() {
    if skip() {
        return;
    }
    let (stack, peer) = setup("listen");
    let listener = TcpListener::bind(&stack, "[::]:7100".parse().unwrap()).unwrap();
    assert_eq!(listener.local_addr().unwrap().port(), 7100);
    for to in ["TCP4:10.95.0.2:7100", "TCP6:[fd95::2]:7100"] {
        let mut client = peer
            .command(&["socat", "-t", "5", "-T", "10", "-", to])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run socat");
        let mut stdin = client.stdin.take().unwrap();
        stdin.write_all(b"question").unwrap();
        drop(stdin); // socat half-closes at the end of its input
        let (mut stream, from) = listener.accept().unwrap();
        assert_eq!(from.is_ipv4(), to.starts_with("TCP4"), "{from}");
        let mut question = Vec::new();
        stream.read_to_end(&mut question).unwrap();
        assert_eq!(question, b"question");
        stream.write_all(b"answer").unwrap();
        drop(stream); // FIN after the answer
        let out = client.wait_with_output().unwrap();
        assert_eq!(
            out.stdout,
            b"answer",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    drop(listener);
    stack.shutdown().unwrap();
}

/// The errors a socket programmer expects: refused (RST to our SYN), reset (RST on an open
/// connection: python closes with SO_LINGER 0), and our own connect timeout.
#[test]
fn refused_reset_and_timed_out_have_their_error_kinds() {
    if skip() {
        return;
    }
    let (stack, mut peer) = setup("errors");
    let err = connect(&stack, "10.95.0.1:7999".parse().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
    let script = "import socket, struct\n\
        s = socket.socket(socket.AF_INET6)\n\
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
        s.bind(('::', 7200)); s.listen(1)\n\
        c, _ = s.accept(); c.recv(10)\n\
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n\
        c.close()\n";
    peer.spawn(&["python3", "-c", script]);
    peer.wait_listening(7200);
    let mut stream = connect(&stack, "10.95.0.1:7200".parse().unwrap()).unwrap();
    stream.write_all(b"hi").unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 16];
    let err = stream.read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    // Nobody answers ARP for .77: the SYN never leaves, our timeout ends the wait.
    let started = Instant::now();
    let err = TcpStream::connect_timeout(
        &stack,
        "10.95.0.77:80".parse().unwrap(),
        Duration::from_millis(700),
    )
    .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TimedOut | ErrorKind::HostUnreachable),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    stack.shutdown().unwrap();
}
