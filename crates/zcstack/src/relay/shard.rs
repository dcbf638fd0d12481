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
use zerocast_stack::device::gso::GsoMeta;
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

/// One queue of a multi-queue TUN as a [`FrameLink`].
#[derive(Debug)]
pub struct QueueLink(pub AsyncTapDevice);

impl FrameLink for QueueLink {
    fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.0.poll_recv(cx, buf)
    }

    fn send(&self, frame: &[u8]) -> io::Result<bool> {
        self.0.send(frame)
    }

    fn kind(&self) -> LinkKind {
        self.0.kind()
    }

    fn mtu(&self) -> u32 {
        self.0.mtu()
    }

    fn offload(&self) -> bool {
        self.0.offload()
    }

    fn send_gso(&self, frame: &mut [u8], meta: &GsoMeta) -> io::Result<bool> {
        self.0.send_gso(frame, meta)
    }
}

/// One shard's queue (`L`: a [`QueueLink`], or an in-memory link in tests) and steering,
/// as the stack's [`FrameLink`].
#[derive(Debug)]
pub struct ShardLink<L> {
    device: L,
    index: usize,
    selector: ShardSelector,
    steered_in: Mutex<mpsc::Receiver<Vec<u8>>>,
    peers: Vec<mpsc::Sender<Vec<u8>>>,
    stats: Arc<Stats>,
}

impl<L: FrameLink> ShardLink<L> {
    /// Shard `index` of `peers.len()`, reading `device` (its queue) and `steered_in`.
    #[must_use]
    pub fn new(
        device: L,
        index: usize,
        steered_in: mpsc::Receiver<Vec<u8>>,
        peers: Vec<mpsc::Sender<Vec<u8>>>,
        stats: Arc<Stats>,
    ) -> ShardLink<L> {
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

impl<L: FrameLink + std::fmt::Debug> FrameLink for ShardLink<L> {
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

    fn offload(&self) -> bool {
        self.device.offload()
    }

    fn send_gso(&self, frame: &mut [u8], meta: &GsoMeta) -> io::Result<bool> {
        self.device.send_gso(frame, meta)
    }
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;

    use zerocast_tokio::memory::MemoryLink;

    use super::*;

    /// An IPv4 TCP packet 10.77.0.1:`port` -> 10.78.0.2:80 (the fields the hash reads).
    fn tcp_packet(port: u16) -> Vec<u8> {
        let mut p = vec![0u8; 40];
        p[0] = 0x45;
        p[3] = 40;
        p[9] = 6;
        p[12..16].copy_from_slice(&[10, 77, 0, 1]);
        p[16..20].copy_from_slice(&[10, 78, 0, 2]);
        p[20..22].copy_from_slice(&port.to_be_bytes());
        p[22..24].copy_from_slice(&80u16.to_be_bytes());
        p
    }

    #[tokio::test]
    async fn a_frame_read_on_the_wrong_queue_reaches_its_owner() {
        let selector = ShardSelector::new(2, UdpHashing::Addresses);
        let port_of = |shard: u32| {
            (40_000..41_000)
                .find(|&port| selector.shard_of_ip_packet(&tcp_packet(port)) == shard)
                .expect("ports of both shards")
        };
        let (for_zero, for_one) = (tcp_packet(port_of(0)), tcp_packet(port_of(1)));
        let (kernel0, queue0) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
        let (_kernel1, queue1) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
        let stats = Arc::new(Stats::with_shards(2));
        let SteeringChannels { senders, receivers } = SteeringChannels::new(2);
        let mut receivers = receivers.into_iter();
        let shard0 = ShardLink::new(
            queue0,
            0,
            receivers.next().unwrap(),
            senders.clone(),
            Arc::clone(&stats),
        );
        let shard1 = ShardLink::new(
            queue1,
            1,
            receivers.next().unwrap(),
            senders,
            Arc::clone(&stats),
        );
        // Both frames arrive on queue 0, shard 1's first.
        assert!(kernel0.send(&for_one).unwrap());
        assert!(kernel0.send(&for_zero).unwrap());
        let mut buf = [0u8; 1500];
        let n = poll_fn(|cx| shard0.poll_recv(cx, &mut buf)).await.unwrap();
        assert_eq!(&buf[..n], &for_zero[..], "shard 0 keeps its own frame");
        let n = poll_fn(|cx| shard1.poll_recv(cx, &mut buf)).await.unwrap();
        assert_eq!(
            &buf[..n],
            &for_one[..],
            "shard 1 gets the frame steered to it"
        );
        assert_eq!(stats.counters.steered.load(Ordering::Relaxed), 1);
        assert_eq!(stats.counters.steer_dropped.load(Ordering::Relaxed), 0);
    }

    #[tokio::test]
    async fn a_full_steering_queue_drops_and_counts() {
        let selector = ShardSelector::new(2, UdpHashing::Addresses);
        let port = (40_000..41_000)
            .find(|&port| selector.shard_of_ip_packet(&tcp_packet(port)) == 1)
            .unwrap();
        let (kernel0, queue0) = MemoryLink::pair(LinkKind::Tun, 1500, STEER_QUEUE + 8);
        let stats = Arc::new(Stats::with_shards(2));
        let SteeringChannels { senders, receivers } = SteeringChannels::new(2);
        // Shard 1's receiver stays open (and unread): its queue fills.
        let [zero, _one]: [_; 2] = receivers.try_into().unwrap();
        let shard0 = ShardLink::new(queue0, 0, zero, senders, Arc::clone(&stats));
        for _ in 0..STEER_QUEUE + 5 {
            assert!(kernel0.send(&tcp_packet(port)).unwrap());
        }
        // Nothing is shard 0's: every call hands on up to its budget and then yields.
        let mut buf = [0u8; 1500];
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        for _ in 0..(STEER_QUEUE + 5).div_ceil(STEER_BUDGET) {
            assert!(shard0.poll_recv(&mut cx, &mut buf).is_pending());
        }
        let c = &stats.counters;
        assert_eq!(c.steered.load(Ordering::Relaxed), STEER_QUEUE as u64);
        assert_eq!(c.steer_dropped.load(Ordering::Relaxed), 5);
    }
}
