//! A soft ICMP error during the handshake is no failed connect: `TcpStream::connect`
//! waits while the SYN is retransmitted (RFC 5461 section 4), although `tcp_take_error`
//! now reports the pending soft error (as Linux's `SO_ERROR` does). The peer is a sans-IO
//! core driven by the test; the test answers the first SYN with Host Unreachable itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use zerocast_stack::testutil::FakeBindings;
use zerocast_stack::{Stack, StackConfig};
use zerocast_tokio::link::{FrameLink, LinkKind};
use zerocast_tokio::memory::MemoryLink;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::tcp::TcpStream;

const LIMIT: Duration = Duration::from_secs(30);

/// The Internet checksum (RFC 1071) of `bytes`.
fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// ICMP Destination Unreachable code 1 (host) from `from`, quoting the IPv4 header and
/// first 8 bytes of `packet` (which the stack sent).
fn host_unreachable(from: [u8; 4], packet: &[u8]) -> Vec<u8> {
    let ihl = usize::from(packet[0] & 0x0f) * 4;
    let quote = &packet[..ihl + 8];
    let mut icmp = vec![3, 1, 0, 0, 0, 0, 0, 0];
    icmp.extend_from_slice(quote);
    let sum = checksum(&icmp);
    icmp[2..4].copy_from_slice(&sum.to_be_bytes());
    let total = 20 + icmp.len();
    let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0];
    ip[2..4].copy_from_slice(&(total as u16).to_be_bytes());
    ip.extend_from_slice(&from);
    ip.extend_from_slice(&packet[12..16]);
    let sum = checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    ip.extend_from_slice(&icmp);
    ip
}

#[tokio::test(start_paused = true)]
async fn a_host_unreachable_for_the_syn_does_not_fail_the_connect() {
    let (wire, link) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let mut config = AsyncStackConfig::with_address(IpAddr::V4(Ipv4Addr::new(10, 5, 0, 2)), 24);
    config.seed = Some(13);
    let stack = AsyncStack::spawn(link, &config).unwrap();

    let mut peer = FakeBindings::new(1);
    let mut core = Stack::new(StackConfig::default());
    let dev = core.add_pure_ip_device(1500);
    core.add_address(&mut peer, dev, IpAddr::V4(Ipv4Addr::new(10, 5, 0, 1)), 24)
        .unwrap();
    let listener = core.tcp_open().unwrap();
    core.tcp_bind(listener, SocketAddr::from(([0, 0, 0, 0], 80)))
        .unwrap();
    core.tcp_listen(&mut peer, listener, 4).unwrap();

    let connect_stack = stack.clone();
    let connect = tokio::spawn(async move {
        TcpStream::connect(&connect_stack, SocketAddr::from(([10, 5, 0, 1], 80))).await
    });
    let syn = tokio::time::timeout(LIMIT, wire.recv_frame())
        .await
        .unwrap();
    assert_eq!(syn[33] & 0x12, 0x02, "a SYN");
    assert!(wire.send(&host_unreachable([10, 5, 0, 1], &syn)).unwrap());
    // Give the driver the ICMP error and the connect a look at it.
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert!(
        !connect.is_finished(),
        "the connect failed on a soft error: {:?}",
        connect.await
    );

    // The retransmitted SYN reaches the peer, whose SYN-ACK completes the handshake.
    let mut again = tokio::time::timeout(LIMIT, wire.recv_frame())
        .await
        .unwrap();
    assert_eq!(again[33] & 0x12, 0x02, "the SYN, retransmitted");
    core.receive_frame(&mut peer, dev, &mut again);
    for frame in peer.take_sent() {
        assert!(wire.send(&frame.bytes).unwrap());
    }
    let stream = tokio::time::timeout(LIMIT, connect)
        .await
        .expect("connected in time")
        .unwrap()
        .expect("the connect succeeds after the soft error");
    assert_eq!(
        stream.peer_addr().unwrap(),
        SocketAddr::from(([10, 5, 0, 1], 80))
    );
    assert_eq!(
        stack.stats().frames_received,
        2,
        "SYN-ACK and the ICMP error"
    );
}
