//! [`MemoryLink`]: two ends of an in-memory link, for tests and simulations without root.
//!
//! What one end sends, the other receives, in order, through a bounded queue; a frame that
//! finds the queue full is dropped and counted, as on a real link. One end can run a stack
//! while a test holds the other and reads or injects raw packets.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::link::{FrameLink, LinkKind};

/// One direction of the link.
#[derive(Debug, Default)]
struct Queue {
    frames: VecDeque<Vec<u8>>,
    /// The receiver waiting for the next frame.
    waker: Option<Waker>,
    /// Frames dropped because the queue was full.
    dropped: u64,
}

/// One end of an in-memory link.
#[derive(Debug)]
pub struct MemoryLink {
    inbox: Arc<Mutex<Queue>>,
    outbox: Arc<Mutex<Queue>>,
    capacity: usize,
    kind: LinkKind,
    mtu: u32,
    faults: LinkFaults,
}

/// Losses to inject on one end's sends, controllable after the end was handed to a stack.
#[derive(Clone, Debug, Default)]
pub struct LinkFaults {
    drop_next: Arc<AtomicUsize>,
}

impl LinkFaults {
    /// Discards the next `n` frames sent from this end (they count as dropped).
    ///
    /// ```
    /// use zerocast_tokio::link::{FrameLink, LinkKind};
    /// use zerocast_tokio::memory::MemoryLink;
    /// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
    /// a.faults().drop_next_sends(1);
    /// assert!(!a.send(b"lost")?);
    /// assert!(a.send(b"kept")?);
    /// assert_eq!((a.dropped(), b.queued()), (1, 1));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn drop_next_sends(&self, n: usize) {
        self.drop_next.store(n, Ordering::SeqCst);
    }

    /// Whether this send is to be discarded (and counts it).
    fn take_one(&self) -> bool {
        self.drop_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    // A panic elsewhere leaves the queue consistent (every change is one push or pop).
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

impl MemoryLink {
    /// Two joined ends carrying frames of `kind` up to `mtu`, each direction queuing at most
    /// `capacity` frames.
    ///
    /// ```
    /// use zerocast_tokio::link::{FrameLink, LinkKind};
    /// use zerocast_tokio::memory::MemoryLink;
    /// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1280, 1);
    /// assert!(a.send(b"one")?);
    /// assert!(!a.send(b"two")?, "the queue holds one frame");
    /// assert_eq!(a.dropped(), 1);
    /// assert_eq!(b.queued(), 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn pair(kind: LinkKind, mtu: u32, capacity: usize) -> (MemoryLink, MemoryLink) {
        let a_to_b = Arc::new(Mutex::new(Queue::default()));
        let b_to_a = Arc::new(Mutex::new(Queue::default()));
        let a = MemoryLink {
            inbox: Arc::clone(&b_to_a),
            outbox: Arc::clone(&a_to_b),
            capacity,
            kind,
            mtu,
            faults: LinkFaults::default(),
        };
        let b = MemoryLink {
            inbox: a_to_b,
            outbox: b_to_a,
            capacity,
            kind,
            mtu,
            faults: LinkFaults::default(),
        };
        (a, b)
    }

    /// The loss controls of this end's sends (a handle that stays usable after the link
    /// moved into a stack).
    #[must_use]
    pub fn faults(&self) -> LinkFaults {
        self.faults.clone()
    }

    /// Frames this end sent that were dropped (the other end's queue was full, or a fault).
    #[must_use]
    pub fn dropped(&self) -> u64 {
        lock(&self.outbox).dropped
    }

    /// Frames waiting to be received at this end.
    #[must_use]
    pub fn queued(&self) -> usize {
        lock(&self.inbox).frames.len()
    }

    /// Waits for the next frame at this end and returns it whole.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use zerocast_tokio::link::{FrameLink, LinkKind};
    /// use zerocast_tokio::memory::MemoryLink;
    /// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
    /// a.send(&[0x45, 0, 0, 20])?;
    /// assert_eq!(b.recv_frame().await, vec![0x45, 0, 0, 20]);
    /// # Ok(()) }
    /// ```
    pub async fn recv_frame(&self) -> Vec<u8> {
        std::future::poll_fn(|cx| {
            let mut inbox = lock(&self.inbox);
            match inbox.frames.pop_front() {
                Some(frame) => Poll::Ready(frame),
                None => {
                    inbox.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

impl FrameLink for MemoryLink {
    fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let mut inbox = lock(&self.inbox);
        match inbox.frames.pop_front() {
            Some(frame) => {
                let len = frame.len().min(buf.len());
                if let (Some(to), Some(from)) = (buf.get_mut(..len), frame.get(..len)) {
                    to.copy_from_slice(from);
                }
                Poll::Ready(Ok(len))
            }
            None => {
                if !inbox
                    .waker
                    .as_ref()
                    .is_some_and(|w| w.will_wake(cx.waker()))
                {
                    inbox.waker = Some(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    }

    fn send(&self, frame: &[u8]) -> io::Result<bool> {
        let mut outbox = lock(&self.outbox);
        if outbox.frames.len() >= self.capacity || self.faults.take_one() {
            outbox.dropped += 1;
            return Ok(false);
        }
        outbox.frames.push_back(frame.to_vec());
        if let Some(waker) = outbox.waker.take() {
            waker.wake();
        }
        Ok(true)
    }

    fn kind(&self) -> LinkKind {
        self.kind
    }

    fn mtu(&self) -> u32 {
        self.mtu
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn frames_arrive_in_order_and_truncate_to_the_buffer() {
        let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
        assert!(a.send(b"first").unwrap());
        assert!(a.send(b"second").unwrap());
        let mut cx = Context::from_waker(Waker::noop());
        let mut buf = [0u8; 3];
        assert!(matches!(b.poll_recv(&mut cx, &mut buf), Poll::Ready(Ok(3))));
        assert_eq!(&buf, b"fir");
        let mut buf = [0u8; 16];
        assert!(matches!(b.poll_recv(&mut cx, &mut buf), Poll::Ready(Ok(6))));
        assert_eq!(&buf[..6], b"second");
        assert!(b.poll_recv(&mut cx, &mut buf).is_pending());
    }

    #[test]
    fn a_send_wakes_the_waiting_receiver_once() {
        let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
        let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&counter));
        let mut cx = Context::from_waker(&waker);
        let mut buf = [0u8; 16];
        assert!(b.poll_recv(&mut cx, &mut buf).is_pending());
        assert_eq!(counter.0.load(Ordering::SeqCst), 0);
        a.send(b"x").unwrap();
        a.send(b"y").unwrap();
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            1,
            "woken by the first frame only"
        );
    }

    #[test]
    fn directions_are_independent() {
        let (a, b) = MemoryLink::pair(LinkKind::Tap, 1500, 1);
        assert!(a.send(b"a->b").unwrap());
        assert!(b.send(b"b->a").unwrap());
        assert!(!a.send(b"full").unwrap());
        assert_eq!((a.dropped(), b.dropped()), (1, 0));
        assert_eq!((a.queued(), b.queued()), (1, 1));
    }
}
