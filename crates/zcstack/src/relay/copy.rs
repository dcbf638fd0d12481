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

/// The size of each direction's buffer.
pub const BUFFER_SIZE: usize = 64 * 1024;

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
    let mut buf = vec![0u8; BUFFER_SIZE];
    loop {
        let n = poll_fn(|cx| client.poll_read_bytes(cx, &mut buf)).await?;
        activity.touch();
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
            // The client's FIN: half-close toward the host, keep relaying the other way.
            host.shutdown().await?;
            return Ok(());
        };
        host.write_all(chunk).await?;
        flow.add_up(n);
    }
}

async fn host_to_client(
    host: &mut ReadHalf<'_>,
    client: &StackStream,
    flow: &FlowGuard,
    activity: &Activity,
) -> io::Result<()> {
    let mut buf = vec![0u8; BUFFER_SIZE];
    loop {
        let n = host.read(&mut buf).await?;
        activity.touch();
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
            client.shutdown_direction(Shutdown::Write)?;
            return Ok(());
        };
        write_to_client(client, chunk).await?;
        flow.add_down(n);
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
