//! The driver hands every frame it drains in one wake-up to `Stack::receive_burst`: a
//! window of TCP segments that is waiting on the link when the driver wakes is acknowledged
//! with one ACK, not one per two segments. The peer is a sans-IO core driven by the test,
//! so the segments can be queued on the link before the driver runs.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use zerocast_stack::tcp::TcpState;
use zerocast_stack::testutil::FakeBindings;
use zerocast_stack::{Stack, StackConfig};
use zerocast_tokio::link::{FrameLink, LinkKind};
use zerocast_tokio::memory::MemoryLink;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::tcp::TcpListener;

const LIMIT: Duration = Duration::from_secs(10);

/// A TCP segment's sequence number, payload length, acknowledgment number and flags.
struct Segment {
    seq: u32,
    payload: usize,
    ack: u32,
    flags: u8,
}

/// Reads the TCP header of an IPv4 packet (the test's own and the stack's: well formed).
fn segment(packet: &[u8]) -> Segment {
    let ihl = usize::from(packet[0] & 0x0f) * 4;
    let total = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    assert_eq!(packet[9], 6, "a TCP segment");
    let tcp = &packet[ihl..total];
    let word = |at: usize| u32::from_be_bytes([tcp[at], tcp[at + 1], tcp[at + 2], tcp[at + 3]]);
    Segment {
        seq: word(4),
        payload: tcp.len() - usize::from(tcp[12] >> 4) * 4,
        ack: word(8),
        flags: tcp[13],
    }
}

async fn next_frame(wire: &MemoryLink) -> Vec<u8> {
    tokio::time::timeout(LIMIT, wire.recv_frame())
        .await
        .expect("the stack answers")
}

#[tokio::test]
async fn a_window_of_segments_drained_in_one_wake_up_gets_one_ack() {
    let (wire, link) = MemoryLink::pair(LinkKind::Tun, 1500, 512);
    let mut config = AsyncStackConfig::with_address(IpAddr::V4(Ipv4Addr::new(10, 4, 0, 2)), 24);
    config.seed = Some(12);
    let stack = AsyncStack::spawn(link, &config).unwrap();
    let listener = TcpListener::bind(&stack, SocketAddr::from(([0, 0, 0, 0], 80)), 4).unwrap();
    let accepted = tokio::spawn(async move { listener.accept().await.map(|(conn, _)| conn) });

    let mut peer = FakeBindings::new(1);
    let mut core = Stack::new(StackConfig::default());
    let dev = core.add_pure_ip_device(1500);
    core.add_address(&mut peer, dev, IpAddr::V4(Ipv4Addr::new(10, 4, 0, 1)), 24)
        .unwrap();
    let client = core.tcp_open().unwrap();
    core.tcp_connect(&mut peer, client, SocketAddr::from(([10, 4, 0, 2], 80)))
        .unwrap();
    for frame in peer.take_sent() {
        assert!(wire.send(&frame.bytes).unwrap(), "the SYN fits the link");
    }
    let mut syn_ack = next_frame(&wire).await;
    core.receive_frame(&mut peer, dev, &mut syn_ack);
    for frame in peer.take_sent() {
        assert!(wire.send(&frame.bytes).unwrap(), "the ACK fits the link");
    }
    let _conn = tokio::time::timeout(LIMIT, accepted)
        .await
        .expect("accepted in time")
        .unwrap()
        .unwrap();
    assert_eq!(core.tcp_state(client), Ok(TcpState::Established));
    assert_eq!(wire.queued(), 0, "nothing but the SYN-ACK so far");

    // The initial window, queued on the link before the driver runs again (this runtime
    // has one thread, and the test does not yield until every segment is queued).
    let data = vec![0x5a; 10 * 1460];
    assert_eq!(core.tcp_send(&mut peer, client, &data), Ok(data.len()));
    let window: Vec<Vec<u8>> = peer.take_sent().into_iter().map(|f| f.bytes).collect();
    assert!(window.len() >= 4, "{} segments", window.len());
    let last = segment(window.last().unwrap());
    let end = last.seq.wrapping_add(last.payload as u32);
    let before = stack.stats();
    for frame in &window {
        assert!(wire.send(frame).unwrap(), "the window fits the link");
    }

    let mut acks = vec![segment(&next_frame(&wire).await)];
    // Frame by frame, the other ACKs would leave in the same wake-up; a delayed ACK would
    // follow within its bound. Wait past both.
    tokio::time::sleep(Duration::from_millis(300)).await;
    while wire.queued() > 0 {
        acks.push(segment(&next_frame(&wire).await));
    }
    let after = stack.stats();
    eprintln!(
        "{} segments, {} ACKs, driver frames {} wake-ups {}",
        window.len(),
        acks.len(),
        after.frames_received - before.frames_received,
        after.wakeups - before.wakeups
    );
    assert_eq!(
        after.frames_received - before.frames_received,
        window.len() as u64
    );
    assert!(acks.iter().all(|a| a.payload == 0 && a.flags & 0x10 != 0));
    let numbers: Vec<u32> = acks.iter().map(|a| a.ack).collect();
    assert_eq!(numbers, [end], "one ACK for the whole window");
}
