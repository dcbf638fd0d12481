//! Async TCP between two stacks over the in-memory link (no root): bulk both ways with the
//! bytes checked, half-close in each direction, a refused connect, a reset seen by the
//! reader, backpressure (a writer parked while nobody reads), and many connections at once.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zerocast_stack::tcp::Shutdown;
use zerocast_tokio::link::LinkKind;
use zerocast_tokio::memory::MemoryLink;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::tcp::{TcpListener, TcpStream};

const LIMIT: Duration = Duration::from_secs(30);

fn pair(seed: u64) -> (AsyncStack, AsyncStack) {
    let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 512);
    let mut ca = AsyncStackConfig::with_address("10.3.0.1".parse().unwrap(), 24);
    ca.seed = Some(seed);
    let mut cb = AsyncStackConfig::with_address("10.3.0.2".parse().unwrap(), 24);
    cb.seed = Some(seed + 1);
    (
        AsyncStack::spawn(a, &ca).unwrap(),
        AsyncStack::spawn(b, &cb).unwrap(),
    )
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A deterministic pattern that makes a shifted or repeated chunk visible.
fn pattern(len: usize, salt: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(salt) >> 24) as u8)
        .collect()
}

#[tokio::test]
async fn bulk_both_ways_with_half_close() {
    let (client_stack, server_stack) = pair(1);
    let listener = TcpListener::bind(&server_stack, addr("0.0.0.0:5001"), 4).unwrap();
    let upload = pattern(2_000_000, 1);
    let download = pattern(1_500_000, 2);
    let (up, down) = (upload.clone(), download.clone());
    let server = tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        // read_to_end returns at the client's FIN: half-close from the client.
        conn.read_to_end(&mut got).await.unwrap();
        assert!(
            got == up,
            "upload differs ({} of {} bytes)",
            got.len(),
            up.len()
        );
        // The other direction is still open.
        conn.write_all(&down).await.unwrap();
        conn.shutdown().await.unwrap();
        // Wait for the client to close too before dropping (a graceful close).
        let mut rest = [0u8; 1];
        assert_eq!(conn.read(&mut rest).await.unwrap(), 0);
    });
    let run = async {
        let mut stream = TcpStream::connect(&client_stack, addr("10.3.0.2:5001"))
            .await
            .unwrap();
        stream.write_all(&upload).await.unwrap();
        stream.shutdown_direction(Shutdown::Write).unwrap();
        let mut got = Vec::new();
        stream.read_to_end(&mut got).await.unwrap();
        assert!(
            got == download,
            "download differs ({} of {} bytes)",
            got.len(),
            download.len()
        );
    };
    tokio::time::timeout(LIMIT, run)
        .await
        .expect("transfers in time");
    tokio::time::timeout(LIMIT, server)
        .await
        .expect("server in time")
        .unwrap();
}

#[tokio::test]
async fn connecting_to_a_closed_port_is_refused() {
    let (a, _b) = pair(3);
    let err = tokio::time::timeout(LIMIT, TcpStream::connect(&a, addr("10.3.0.2:5999")))
        .await
        .expect("answered by a RST")
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn an_abort_reaches_the_waiting_reader_as_a_reset() {
    let (a, b) = pair(5);
    let listener = TcpListener::bind(&b, addr("0.0.0.0:5002"), 4).unwrap();
    let stream = TcpStream::connect(&a, addr("10.3.0.2:5002")).await.unwrap();
    let (mut accepted, _) = listener.accept().await.unwrap();
    let reader = tokio::spawn(async move {
        let mut buf = [0u8; 16];
        accepted.read(&mut buf).await
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    stream.abort();
    let result = tokio::time::timeout(LIMIT, reader)
        .await
        .expect("woken")
        .unwrap();
    assert_eq!(
        result.unwrap_err().kind(),
        std::io::ErrorKind::ConnectionReset
    );
}

#[tokio::test]
async fn a_writer_parks_while_nobody_reads_and_resumes_when_they_do() {
    let (a, b) = pair(7);
    let listener = TcpListener::bind(&b, addr("0.0.0.0:5003"), 4).unwrap();
    let mut stream = TcpStream::connect(&a, addr("10.3.0.2:5003")).await.unwrap();
    let (mut accepted, _) = listener.accept().await.unwrap();
    let data = pattern(8_000_000, 3);
    let to_send = data.clone();
    let writer = tokio::spawn(async move {
        stream.write_all(&to_send).await.unwrap();
        stream.shutdown_direction(Shutdown::Write).unwrap();
        stream
    });
    // Nobody reads for a while: the receiver's window and the sender's buffer fill, and the
    // writer waits instead of the memory growing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!writer.is_finished(), "8 MB cannot fit in the buffers");
    let frames_while_stalled = b.stats().frames_received;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let during = b.stats().frames_received - frames_while_stalled;
    eprintln!("frames received in 300 ms of a closed window: {during}");
    let mut got = Vec::new();
    tokio::time::timeout(LIMIT, accepted.read_to_end(&mut got))
        .await
        .expect("drains in time")
        .unwrap();
    assert!(
        got == data,
        "bytes differ ({} of {})",
        got.len(),
        data.len()
    );
    let _stream = writer.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_connections_at_once() {
    let (a, b) = pair(9);
    let listener = TcpListener::bind(&b, addr("0.0.0.0:5004"), 64).unwrap();
    let server = tokio::spawn(async move {
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (mut conn, _) = listener.accept().await.unwrap();
            tasks.push(tokio::spawn(async move {
                let mut buf = Vec::new();
                conn.read_to_end(&mut buf).await.unwrap();
                conn.write_all(&buf).await.unwrap();
                conn.shutdown().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let mut clients = Vec::new();
    for i in 0..50u32 {
        let a = a.clone();
        clients.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(&a, addr("10.3.0.2:5004")).await.unwrap();
            let msg = pattern(10_000 + i as usize * 100, i);
            s.write_all(&msg).await.unwrap();
            s.shutdown_direction(Shutdown::Write).unwrap();
            let mut back = Vec::new();
            s.read_to_end(&mut back).await.unwrap();
            assert!(back == msg, "connection {i}");
        }));
    }
    let all = async {
        for c in clients {
            c.await.unwrap();
        }
        server.await.unwrap();
    };
    tokio::time::timeout(LIMIT, all)
        .await
        .expect("50 echoes in time");
}

#[tokio::test(start_paused = true)]
async fn bulk_recovers_over_a_link_that_drops_when_full() {
    // Eight frames of queue each way: every burst larger than that loses its tail, so the
    // transfer depends on retransmission timers and fast retransmit running through the
    // driver's sleep_until.
    let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
    let (a_end, b_end) = (a, b);
    let mut ca = AsyncStackConfig::with_address("10.3.0.1".parse().unwrap(), 24);
    ca.seed = Some(11);
    let mut cb = AsyncStackConfig::with_address("10.3.0.2".parse().unwrap(), 24);
    cb.seed = Some(12);
    let client_stack = AsyncStack::spawn(a_end, &ca).unwrap();
    let server_stack = AsyncStack::spawn(b_end, &cb).unwrap();
    let listener = TcpListener::bind(&server_stack, addr("0.0.0.0:5005"), 4).unwrap();
    let data = pattern(300_000, 5);
    let expected = data.clone();
    let server = tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        conn.read_to_end(&mut got).await.unwrap();
        got
    });
    let mut stream = TcpStream::connect(&client_stack, addr("10.3.0.2:5005"))
        .await
        .unwrap();
    stream.write_all(&data).await.unwrap();
    stream.shutdown_direction(Shutdown::Write).unwrap();
    let got = tokio::time::timeout(Duration::from_secs(600), server)
        .await
        .expect("delivered within 600 s of (paused) time")
        .unwrap();
    assert!(
        got == expected,
        "bytes differ ({} of {})",
        got.len(),
        expected.len()
    );
    let drops = client_stack.stats().transmit_drops + server_stack.stats().transmit_drops;
    eprintln!(
        "frames dropped by the full link: {drops}; timer rounds {} + {}",
        client_stack.stats().timer_rounds,
        server_stack.stats().timer_rounds
    );
    assert!(drops > 0, "the link did drop frames");
}

#[tokio::test(start_paused = true)]
async fn a_lost_last_segment_is_retransmitted_by_the_timer() {
    // The only data segment (and the FIN, sent separately) are lost: nothing follows them,
    // so no duplicate ACK can trigger fast retransmit, and only the retransmission timer,
    // which the driver sleeps towards, can deliver them.
    let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 64);
    let faults = a.faults();
    let mut ca = AsyncStackConfig::with_address("10.3.0.1".parse().unwrap(), 24);
    ca.seed = Some(13);
    let mut cb = AsyncStackConfig::with_address("10.3.0.2".parse().unwrap(), 24);
    cb.seed = Some(14);
    let client_stack = AsyncStack::spawn(a, &ca).unwrap();
    let server_stack = AsyncStack::spawn(b, &cb).unwrap();
    let listener = TcpListener::bind(&server_stack, addr("0.0.0.0:5006"), 4).unwrap();
    let mut stream = TcpStream::connect(&client_stack, addr("10.3.0.2:5006"))
        .await
        .unwrap();
    let (mut conn, _) = listener.accept().await.unwrap();
    let started = tokio::time::Instant::now();
    faults.drop_next_sends(1);
    stream.write_all(b"the only segment").await.unwrap();
    let mut got = [0u8; 16];
    tokio::time::timeout(Duration::from_secs(60), conn.read_exact(&mut got))
        .await
        .expect("retransmitted within 60 s")
        .unwrap();
    assert_eq!(&got, b"the only segment");
    let waited = started.elapsed();
    eprintln!(
        "delivered after {waited:?}; client timer rounds {}",
        client_stack.stats().timer_rounds
    );
    assert!(
        waited >= Duration::from_millis(200),
        "not before the minimum RTO: {waited:?}"
    );
    assert!(client_stack.stats().timer_rounds >= 1);
    assert_eq!(client_stack.stats().transmit_drops, 1);
}
