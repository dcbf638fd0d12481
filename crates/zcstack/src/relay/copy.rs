//! Relaying one TCP connection's bytes both ways between the stack's stream (the client on
//! the TUN) and a host socket (the destination or the proxy).
//!
//! Each direction copies through one bounded buffer: it reads only after the previous
//! chunk was fully written, so a slow reader on one side stops the reading on the other,
//! and the stack's receive window (or the kernel's) closes instead of memory growing. An
//! end of stream on one side becomes a half-close (FIN) on the other, and the other
//! direction carries on; an error on either side resets both; so does the idle timeout.

use std::future::poll_fn;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{ReadHalf, WriteHalf};
use tokio::time::Instant;
use zerocast_stack::tcp::Shutdown;
use zerocast_tokio::tcp::TcpStream as StackStream;

use super::stats::FlowGuard;

/// The largest size of each direction's buffer.
pub const BUFFER_SIZE: usize = 64 * 1024;

/// The size each direction's buffer starts at. A connection that only exchanges small
/// requests and replies never needs more, and zeroing two 64 KiB buffers was two thirds of
/// the relay's instructions per short connection (callgrind, 1-byte connect/request/close
/// loop); a bulk transfer fills it and reaches [`BUFFER_SIZE`] within two reads.
pub const INITIAL_BUFFER_SIZE: usize = 4 * 1024;

/// One direction's buffer: starts at [`INITIAL_BUFFER_SIZE`] and grows fourfold, up to
/// [`BUFFER_SIZE`], each time a read fills it.
struct Buffer {
    bytes: Vec<u8>,
}

impl Buffer {
    fn new() -> Buffer {
        Buffer {
            bytes: vec![0; INITIAL_BUFFER_SIZE],
        }
    }

    /// Grows after a read of `n` bytes that filled the buffer: more was probably waiting.
    fn after_read(&mut self, n: usize) {
        let len = self.bytes.len();
        if n == len && len < BUFFER_SIZE {
            self.bytes.resize(len.saturating_mul(4).min(BUFFER_SIZE), 0);
        }
    }
}

/// How a relayed connection ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Both sides closed their direction (FIN both ways).
    Completed,
    /// One side failed or reset; both are reset.
    Reset,
    /// Nothing moved for the idle timeout; both are reset.
    Idle,
}

/// When something last moved, as milliseconds since `start` (shared by both directions).
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// Relays between `client` and `host` until both directions end, one side fails, or
/// nothing moves for `idle`. `first_down` is data the host already sent (bytes a proxy
/// relayed right after its handshake reply), written to the client first.
pub async fn relay(
    client: &StackStream,
    host: &mut tokio::net::TcpStream,
    first_down: &[u8],
    flow: &FlowGuard,
    idle: Duration,
) -> Ending {
    let activity = Activity {
        start: Instant::now(),
        last_ms: AtomicU64::new(0),
    };
    let (mut host_read, mut host_write) = host.split();
    let both = async {
        write_to_client(client, first_down).await?;
        flow.add_down(first_down.len());
        tokio::try_join!(
            client_to_host(client, &mut host_write, flow, &activity),
            host_to_client(&mut host_read, client, flow, &activity),
        )
    };
    let watchdog = async {
        loop {
            let deadline = activity.last() + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    };
    tokio::select! {
        result = both => match result {
            Ok(_) => Ending::Completed,
            Err(_) => Ending::Reset,
        },
        () = watchdog => Ending::Idle,
    }
}

async fn client_to_host(
    client: &StackStream,
    host: &mut WriteHalf<'_>,
    flow: &FlowGuard,
    activity: &Activity,
) -> io::Result<()> {
    let mut buf = Buffer::new();
    loop {
        let n = poll_fn(|cx| client.poll_read_bytes(cx, &mut buf.bytes)).await?;
        activity.touch();
        let Some(chunk) = buf.bytes.get(..n).filter(|c| !c.is_empty()) else {
            // The client's FIN: half-close toward the host, keep relaying the other way.
            host.shutdown().await?;
            return Ok(());
        };
        host.write_all(chunk).await?;
        flow.add_up(n);
        buf.after_read(n);
    }
}

async fn host_to_client(
    host: &mut ReadHalf<'_>,
    client: &StackStream,
    flow: &FlowGuard,
    activity: &Activity,
) -> io::Result<()> {
    let mut buf = Buffer::new();
    loop {
        let n = host.read(&mut buf.bytes).await?;
        activity.touch();
        let Some(chunk) = buf.bytes.get(..n).filter(|c| !c.is_empty()) else {
            client.shutdown_direction(Shutdown::Write)?;
            return Ok(());
        };
        write_to_client(client, chunk).await?;
        flow.add_down(n);
        buf.after_read(n);
    }
}

/// Writes all of `data` to the stack's stream, waiting while its send buffer is full.
async fn write_to_client(client: &StackStream, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        let n = poll_fn(|cx| client.poll_write_bytes(cx, data)).await?;
        data = data.get(n..).unwrap_or_default();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use zerocast_tokio::link::LinkKind;
    use zerocast_tokio::memory::MemoryLink;
    use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
    use zerocast_tokio::tcp::{TcpListener, TcpStream};

    use super::*;
    use crate::relay::stats::{Proto, Stats};

    #[test]
    fn the_buffer_grows_only_after_full_reads_and_stops_at_the_maximum() {
        let mut buf = Buffer::new();
        assert_eq!(buf.bytes.len(), INITIAL_BUFFER_SIZE);
        buf.after_read(1);
        buf.after_read(INITIAL_BUFFER_SIZE - 1);
        assert_eq!(buf.bytes.len(), INITIAL_BUFFER_SIZE, "partial reads");
        let mut sizes = Vec::new();
        for _ in 0..4 {
            let full = buf.bytes.len();
            buf.after_read(full);
            sizes.push(buf.bytes.len());
        }
        assert_eq!(
            sizes,
            [
                4 * INITIAL_BUFFER_SIZE,
                BUFFER_SIZE,
                BUFFER_SIZE,
                BUFFER_SIZE
            ]
        );
    }

    /// A client stack routed through a relay stack (in memory), and a loopback host
    /// socket pair standing for the destination: (client stream, relay's accepted stream,
    /// relay's host socket, destination's socket).
    async fn setup() -> (
        TcpStream,
        TcpStream,
        tokio::net::TcpStream,
        tokio::net::TcpStream,
    ) {
        let (left, right) = MemoryLink::pair(LinkKind::Tun, 1500, 256);
        let mut client_config = AsyncStackConfig::with_address("10.6.0.2".parse().unwrap(), 24);
        client_config.gateways.push("10.6.0.1".parse().unwrap());
        client_config.seed = Some(1);
        let mut relay_config = AsyncStackConfig::with_address("10.6.0.1".parse().unwrap(), 24);
        relay_config.seed = Some(2);
        let client = AsyncStack::spawn(left, &client_config).unwrap();
        let relay = AsyncStack::spawn(right, &relay_config).unwrap();
        relay.with_stack(|s, _| s.set_accept_any_destination(relay.device_id(), true));
        let listener = TcpListener::bind_transparent(&relay, 8).unwrap();
        let stream = TcpStream::connect(&client, "192.0.2.80:80".parse().unwrap())
            .await
            .unwrap();
        let (accepted, _) = listener.accept().await.unwrap();
        let host_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = tokio::net::TcpStream::connect(host_listener.local_addr().unwrap())
            .await
            .unwrap();
        let (dest, _) = host_listener.accept().await.unwrap();
        (stream, accepted, host, dest)
    }

    #[tokio::test]
    async fn both_directions_and_half_close_are_relayed() {
        let (mut client, accepted, mut host, mut dest) = setup().await;
        let stats = Arc::new(Stats::default());
        let flow = stats.open(
            Proto::Tcp,
            "10.6.0.2:1".parse().unwrap(),
            "192.0.2.80:80".parse().unwrap(),
        );
        let relaying =
            async { relay(&accepted, &mut host, b"hi ", &flow, Duration::from_secs(30)).await };
        let peers = async {
            client.write_all(b"request").await.unwrap();
            client.shutdown().await.unwrap();
            let mut got = Vec::new();
            dest.read_to_end(&mut got).await.unwrap();
            assert_eq!(got, b"request", "the client's FIN reaches the destination");
            dest.write_all(b"response").await.unwrap();
            dest.shutdown().await.unwrap();
            let mut back = Vec::new();
            client.read_to_end(&mut back).await.unwrap();
            assert_eq!(
                back, b"hi response",
                "first the proxy's early bytes, then the rest"
            );
        };
        let (ending, ()) = tokio::join!(relaying, peers);
        assert_eq!(ending, Ending::Completed);
        assert_eq!(flow.flow.up.load(Ordering::Relaxed), 7);
        assert_eq!(flow.flow.down.load(Ordering::Relaxed), 11);
    }

    #[tokio::test]
    async fn a_silent_connection_ends_at_the_idle_timeout() {
        let (_client, accepted, mut host, _dest) = setup().await;
        let stats = Arc::new(Stats::default());
        let flow = stats.open(
            Proto::Tcp,
            "10.6.0.2:1".parse().unwrap(),
            "192.0.2.80:80".parse().unwrap(),
        );
        let started = Instant::now();
        let ending = relay(&accepted, &mut host, b"", &flow, Duration::from_millis(200)).await;
        assert_eq!(ending, Ending::Idle);
        assert!(started.elapsed() >= Duration::from_millis(200));
    }

    #[tokio::test]
    async fn a_slow_reader_bounds_what_the_relay_takes_from_the_writer() {
        // The destination never reads: the relay must stop reading from the client once
        // the host socket's buffers and its one 64 KiB buffer are full, so the client's
        // writes stall instead of the relay's memory growing.
        let (client, accepted, mut host, _dest) = setup().await;
        let stats = Arc::new(Stats::default());
        let flow = stats.open(
            Proto::Tcp,
            "10.6.0.2:1".parse().unwrap(),
            "192.0.2.80:80".parse().unwrap(),
        );
        let relaying = relay(&accepted, &mut host, b"", &flow, Duration::from_secs(30));
        let writer = async {
            let chunk = vec![7u8; 64 * 1024];
            let mut written = 0usize;
            // Bounded: 64 MB would be far beyond any kernel socket buffer.
            while written < 64 * 1024 * 1024 {
                let step = tokio::time::timeout(
                    Duration::from_millis(500),
                    poll_fn(|cx| client.poll_write_bytes(cx, &chunk)),
                )
                .await;
                match step {
                    Ok(Ok(n)) => written += n,
                    _ => break,
                }
            }
            written
        };
        let written = tokio::select! {
            _ = relaying => panic!("the relay ended"),
            written = writer => written,
        };
        let relayed = flow.flow.up.load(Ordering::Relaxed);
        assert!(written < 64 * 1024 * 1024, "the writer was stopped");
        // What left the client is in the relay's path: the host socket buffers (a few MB
        // on loopback at most), one relay buffer, and the stacks' own buffers.
        eprintln!("slow reader: the client wrote {written} B before stalling, {relayed} B relayed");
        assert!(relayed <= written as u64);
        assert!(
            written - relayed as usize <= 4 * 1024 * 1024,
            "written {written}, relayed {relayed}"
        );
    }
}
