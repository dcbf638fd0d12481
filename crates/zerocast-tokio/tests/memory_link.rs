//! The async stack over the in-memory link (no root needed): UDP between two stacks,
//! timers driven by `sleep_until`, application calls that arm a timer waking the driver,
//! and an idle driver that does not spin.

use std::net::SocketAddr;
use std::time::Duration;

use zerocast_tokio::link::LinkKind;
use zerocast_tokio::memory::MemoryLink;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::udp::UdpSocket;

fn config(addr: &str, seed: u64) -> AsyncStackConfig {
    let mut config = AsyncStackConfig::with_address(addr.parse().unwrap(), 24);
    config.seed = Some(seed);
    config
}

fn sock(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Bounds every test: a hang fails instead of stalling CI.
const LIMIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn udp_request_response_between_two_stacks() {
    let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let client_stack = AsyncStack::spawn(left, &config("10.1.0.1", 1)).unwrap();
    let server_stack = AsyncStack::spawn(right, &config("10.1.0.2", 2)).unwrap();
    let server = UdpSocket::bind(&server_stack, sock("10.1.0.2:7")).unwrap();
    let echo = tokio::spawn(async move {
        let mut buf = [0u8; 2048];
        for _ in 0..100 {
            let (len, from) = server.recv_from(&mut buf).await.unwrap();
            server.send_to(&buf[..len], from).await.unwrap();
        }
    });
    let client = UdpSocket::bind(&client_stack, sock("0.0.0.0:0")).unwrap();
    client.connect(sock("10.1.0.2:7")).unwrap();
    let run = async {
        let mut buf = [0u8; 2048];
        for i in 0..100u32 {
            let request = format!("request {i} {}", "x".repeat(i as usize * 10));
            client.send(request.as_bytes()).await.unwrap();
            let len = client.recv(&mut buf).await.unwrap();
            assert_eq!(&buf[..len], request.as_bytes(), "reply {i}");
        }
    };
    tokio::time::timeout(LIMIT, run)
        .await
        .expect("100 round trips in time");
    echo.await.unwrap();
    let stats = server_stack.stats();
    assert_eq!(stats.frames_received, 100);
    assert_eq!(stats.transmit_drops, 0);
}

#[tokio::test]
async fn a_refused_datagram_surfaces_as_connection_refused() {
    let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let a = AsyncStack::spawn(left, &config("10.1.0.1", 3)).unwrap();
    let _b = AsyncStack::spawn(right, &config("10.1.0.2", 4)).unwrap();
    let client = UdpSocket::bind(&a, sock("0.0.0.0:0")).unwrap();
    client.connect(sock("10.1.0.2:9")).unwrap();
    client.send(b"anyone?").await.unwrap();
    let mut buf = [0u8; 64];
    // The ICMP port unreachable wakes the waiting reader with the error.
    let err = tokio::time::timeout(LIMIT, client.recv(&mut buf))
        .await
        .expect("woken by the ICMP error")
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

/// ARP offsets in an Ethernet frame: ethertype, operation, target protocol address.
fn is_arp_request_for(frame: &[u8], target: [u8; 4]) -> bool {
    frame.get(12..14) == Some(&[0x08, 0x06])
        && frame.get(20..22) == Some(&[0, 1])
        && frame.get(38..42) == Some(&target)
}

#[tokio::test(start_paused = true)]
async fn timers_fire_through_sleep_until_and_a_send_wakes_the_driver() {
    // A TAP link whose far end the test holds: a datagram to an unanswered neighbour makes
    // the stack send ARP requests, retransmitted by its timer every RetransTimer (1 s),
    // three in all (RFC 1122 2.3.2.1 / the stack's NUD defaults).
    let (link, wire) = MemoryLink::pair(LinkKind::Tap, 1500, 64);
    let stack = AsyncStack::spawn(link, &config("10.1.0.2", 5)).unwrap();
    let socket = UdpSocket::bind(&stack, sock("0.0.0.0:0")).unwrap();
    // Let the stack's start-up traffic (announcements) pass, then wait until it is quiet.
    tokio::time::sleep(Duration::from_secs(30)).await;
    while wire.queued() > 0 {
        wire.recv_frame().await;
    }
    let sent_at = tokio::time::Instant::now();
    socket.send_to(b"hello", sock("10.1.0.9:9")).await.unwrap();
    let mut requests = Vec::new();
    let collect = async {
        while requests.len() < 3 {
            let frame = wire.recv_frame().await;
            if is_arp_request_for(&frame, [10, 1, 0, 9]) {
                requests.push(tokio::time::Instant::now() - sent_at);
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), collect)
        .await
        .expect("three ARP requests");
    assert_eq!(
        requests[0],
        Duration::ZERO,
        "the first goes out within the send"
    );
    assert_eq!(requests[1], Duration::from_secs(1));
    assert_eq!(requests[2], Duration::from_secs(2));
    // And then no more: the resolution has failed, nothing is left to retransmit.
    tokio::time::sleep(Duration::from_secs(30)).await;
    let mut later = 0;
    while wire.queued() > 0 {
        if is_arp_request_for(&wire.recv_frame().await, [10, 1, 0, 9]) {
            later += 1;
        }
    }
    assert_eq!(later, 0);
    assert!(stack.stats().timer_rounds >= 2);
}

#[tokio::test]
async fn an_idle_stack_does_not_spin() {
    // Real time: one second with a reader parked on a socket and nothing arriving. A driver
    // that polled would wake thousands of times; this one waits in its select.
    let (link, _far_end) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let stack = AsyncStack::spawn(link, &config("10.1.0.2", 6)).unwrap();
    let socket = UdpSocket::bind(&stack, sock("10.1.0.2:5000")).unwrap();
    let reader = tokio::spawn(async move {
        let mut buf = [0u8; 16];
        socket.recv(&mut buf).await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = stack.stats();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = stack.stats();
    let wakeups = after.wakeups - before.wakeups;
    eprintln!(
        "idle driver wake-ups in 1 s: {wakeups} (timer rounds {})",
        after.timer_rounds - before.timer_rounds
    );
    assert!(wakeups <= 2, "{wakeups} wake-ups in an idle second");
    assert!(!reader.is_finished(), "the reader still waits");
    reader.abort();
}

#[tokio::test]
async fn an_idle_stack_with_timers_pending_wakes_only_for_them() {
    // Real time over a TAP: a datagram to a neighbour that never answers keeps ARP
    // retransmission timers pending (and the stack's own announcements run at start-up).
    // Every wake-up of the driver must be one of those timers, not a poll.
    let (link, _far_end) = MemoryLink::pair(LinkKind::Tap, 1500, 64);
    let stack = AsyncStack::spawn(link, &config("10.1.0.2", 10)).unwrap();
    let socket = UdpSocket::bind(&stack, sock("0.0.0.0:0")).unwrap();
    socket
        .send_to(b"anyone", sock("10.1.0.77:9"))
        .await
        .unwrap();
    // Let the driver take the nudge of that send (its one wake-up without a timer due).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let before = stack.stats();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = stack.stats();
    let wakeups = after.wakeups - before.wakeups;
    let timer_rounds = after.timer_rounds - before.timer_rounds;
    eprintln!("1.5 s with timers pending: {wakeups} wake-ups, {timer_rounds} timer rounds");
    assert!(timer_rounds >= 1, "the ARP retransmission at 1 s fired");
    assert!(
        wakeups <= timer_rounds + 1,
        "{wakeups} wake-ups for {timer_rounds} timers"
    );
}

#[tokio::test]
async fn shutdown_ends_the_driver() {
    let (link, _far_end) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let (stack, driver) = AsyncStack::new(link, &config("10.1.0.2", 7)).unwrap();
    let task = tokio::spawn(driver.run());
    tokio::time::sleep(Duration::from_millis(10)).await;
    stack.shutdown();
    tokio::time::timeout(LIMIT, task)
        .await
        .expect("the driver stops")
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sockets_on_a_multi_thread_runtime_each_get_their_datagrams() {
    let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 1024);
    let a = AsyncStack::spawn(left, &config("10.1.0.1", 8)).unwrap();
    let b = AsyncStack::spawn(right, &config("10.1.0.2", 9)).unwrap();
    let mut readers = Vec::new();
    for port in 6000..6032u16 {
        let socket =
            UdpSocket::bind(&b, SocketAddr::new("10.1.0.2".parse().unwrap(), port)).unwrap();
        readers.push(tokio::spawn(async move {
            let mut buf = [0u8; 16];
            let mut got = Vec::new();
            for _ in 0..4 {
                let len = socket.recv(&mut buf).await.unwrap();
                got.push(String::from_utf8_lossy(&buf[..len]).into_owned());
            }
            (port, got)
        }));
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    let sender = UdpSocket::bind(&a, sock("0.0.0.0:0")).unwrap();
    for round in 0..4 {
        for port in 6000..6032u16 {
            let dest = SocketAddr::new("10.1.0.2".parse().unwrap(), port);
            sender
                .send_to(format!("{port}/{round}").as_bytes(), dest)
                .await
                .unwrap();
        }
    }
    for reader in readers {
        let (port, got) = tokio::time::timeout(LIMIT, reader)
            .await
            .expect("in time")
            .unwrap();
        let want: Vec<String> = (0..4).map(|r| format!("{port}/{r}")).collect();
        assert_eq!(got, want);
    }
}
