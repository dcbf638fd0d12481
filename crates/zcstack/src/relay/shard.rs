//! The link of one relay shard (`--threads N`): its own queue of a multi-queue TUN, plus the
//! frames other shards steered to it.
//!
//! The kernel spreads a multi-queue TUN's packets over the queues by its own symmetric flow
//! hash, which userspace cannot compute, and sends a flow's later packets to the queue its
//! packets were last written on. A shard owns the flows that zerocast-tap's symmetric
//! Toeplitz hash ([`ShardSelector`]) gives it; a frame read on another shard's queue is
//! handed to its owner over a bounded channel. The owner's answers are written on the
//! owner's queue, so the kernel learns to send the rest of the flow there: steering is
//! needed mostly for a flow's first packets. Fragments and UDP are hashed by addresses only
//! (rss.rs's default), so every fragment of a datagram reaches the shard that reassembles
//! it. A full channel drops the frame (counted): TCP retransmits, as after any loss.

use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::sync::mpsc;
use zerocast_tap::async_device::AsyncTapDevice;
use zerocast_tap::rss::{ShardSelector, UdpHashing};
use zerocast_tokio::link::{FrameLink, LinkKind};

use super::stats::Stats;

/// Frames a shard may have waiting from the others before further ones are dropped.
pub const STEER_QUEUE: usize = 1024;

/// At most this many frames of other shards are handed on in one receive call before it
/// yields (so one busy queue cannot keep a shard's driver from its own timers).
const STEER_BUDGET: usize = 64;

/// The channels between shards: shard `i` receives on `receivers[i]`, and any shard sends
/// to it on `senders[i]`.
#[derive(Debug)]
pub struct SteeringChannels {
    /// One sender per shard, by shard index.
    pub senders: Vec<mpsc::Sender<Vec<u8>>>,
    /// One receiver per shard, by shard index (each is taken by its shard).
    pub receivers: Vec<mpsc::Receiver<Vec<u8>>>,
}

impl SteeringChannels {
    /// Channels for `shards` shards.
    ///
    /// ```
    /// let channels = zcstack::relay::shard::SteeringChannels::new(2);
    /// assert_eq!((channels.senders.len(), channels.receivers.len()), (2, 2));
    /// ```
    #[must_use]
    pub fn new(shards: usize) -> SteeringChannels {
        let (senders, receivers) = (0..shards).map(|_| mpsc::channel(STEER_QUEUE)).unzip();
        SteeringChannels { senders, receivers }
    }
}

/// One shard's queue and steering, as the stack's [`FrameLink`].
#[derive(Debug)]
pub struct ShardLink {
    device: AsyncTapDevice,
    index: usize,
    selector: ShardSelector,
    steered_in: Mutex<mpsc::Receiver<Vec<u8>>>,
    peers: Vec<mpsc::Sender<Vec<u8>>>,
    stats: Arc<Stats>,
}

impl ShardLink {
    /// Shard `index` of `peers.len()`, reading `device` (its queue) and `steered_in`.
    #[must_use]
    pub fn new(
        device: AsyncTapDevice,
        index: usize,
        steered_in: mpsc::Receiver<Vec<u8>>,
        peers: Vec<mpsc::Sender<Vec<u8>>>,
        stats: Arc<Stats>,
    ) -> ShardLink {
        let shards = u32::try_from(peers.len()).unwrap_or(u32::MAX);
        ShardLink {
            device,
            index,
            selector: ShardSelector::new(shards, UdpHashing::Addresses),
            steered_in: Mutex::new(steered_in),
            peers,
            stats,
        }
    }

    /// Hands `frame` to shard `owner`; a full or closed channel drops it.
    fn steer(&self, owner: usize, frame: &[u8]) {
        let counters = &self.stats.counters;
        let sent = self
            .peers
            .get(owner)
            .is_some_and(|peer| peer.try_send(frame.to_vec()).is_ok());
        let counter = if sent {
            &counters.steered
        } else {
            &counters.steer_dropped
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl FrameLink for ShardLink {
    fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        // What the other shards handed over first: those frames have waited already.
        let steered = self
            .steered_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .poll_recv(cx);
        if let Poll::Ready(Some(frame)) = steered {
            if let Some(slot) = buf.get_mut(..frame.len()) {
                slot.copy_from_slice(&frame);
                return Poll::Ready(Ok(frame.len()));
            }
            // Larger than this shard's buffer (the queues share one MTU): never, but drop.
            self.stats
                .counters
                .steer_dropped
                .fetch_add(1, Ordering::Relaxed);
        }
        if self.peers.len() <= 1 {
            return self.device.poll_recv(cx, buf);
        }
        for _ in 0..STEER_BUDGET {
            let n = match self.device.poll_recv(cx, buf) {
                Poll::Ready(Ok(n)) => n,
                other => return other,
            };
            let frame = buf.get(..n).unwrap_or_default();
            let owner = self.selector.shard_of_ip_packet(frame) as usize;
            if owner == self.index {
                return Poll::Ready(Ok(n));
            }
            self.steer(owner, frame);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    fn send(&self, frame: &[u8]) -> io::Result<bool> {
        self.device.send(frame)
    }

    fn kind(&self) -> LinkKind {
        self.device.kind()
    }

    fn mtu(&self) -> u32 {
        self.device.mtu()
    }
}
