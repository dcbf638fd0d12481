//! [`FrameLink`]: where the driver reads frames from and the stack writes frames to.
//!
//! The driver needs two things of a link: a way to wait for the next frame that registers the
//! task's waker (so it sleeps instead of polling), and a transmit that never waits (the
//! core calls it from inside a stack call, holding the stack's lock). A full link drops the
//! frame, as a NIC with a full ring does; the protocols above recover.

use std::io;
use std::task::{Context, Poll};

pub use zerocast_tap::device::LinkKind;

/// A frame-oriented link the stack runs on.
///
/// ```
/// use std::task::{Context, Poll, Waker};
/// use zerocast_tokio::link::{FrameLink, LinkKind};
/// use zerocast_tokio::memory::MemoryLink;
///
/// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 4);
/// assert!(a.send(b"frame")?);
/// let mut buf = [0u8; 64];
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(matches!(b.poll_recv(&mut cx, &mut buf), Poll::Ready(Ok(5))));
/// assert_eq!(b.mtu(), 1500);
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait FrameLink: Send + Sync + 'static {
    /// Reads the next frame into `buf` (truncating one longer than `buf`, as a TUN read
    /// does) and returns its length as copied; `Pending` with the waker registered when
    /// there is none.
    ///
    /// # Errors
    /// The link failed (the interface was deleted, ...); the driver stops with the error.
    fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>>;

    /// Puts one frame on the link without waiting. `Ok(false)`: the link had no room and
    /// dropped it.
    ///
    /// # Errors
    /// A write error other than a full queue.
    fn send(&self, frame: &[u8]) -> io::Result<bool>;

    /// Whether frames are Ethernet (TAP) or bare IP (TUN).
    fn kind(&self) -> LinkKind;

    /// The largest IP packet the link carries.
    fn mtu(&self) -> u32;
}

/// The buffer size that holds any frame of `link`: the MTU plus an Ethernet header with two
/// VLAN tags for a TAP.
///
/// ```
/// use zerocast_tokio::link::{frame_capacity, LinkKind};
/// use zerocast_tokio::memory::MemoryLink;
/// let (tun, _) = MemoryLink::pair(LinkKind::Tun, 1500, 1);
/// let (tap, _) = MemoryLink::pair(LinkKind::Tap, 1500, 1);
/// assert_eq!(frame_capacity(&tun), 1500);
/// assert_eq!(frame_capacity(&tap), 1522);
/// ```
#[must_use]
pub fn frame_capacity(link: &dyn FrameLink) -> usize {
    let mtu = usize::try_from(link.mtu()).unwrap_or(usize::MAX);
    match link.kind() {
        LinkKind::Tun => mtu,
        LinkKind::Tap => mtu.saturating_add(ETHERNET_HEADER_WITH_TWO_TAGS),
    }
}

/// 14 bytes of Ethernet header and two 4-byte 802.1Q/802.1ad tags.
const ETHERNET_HEADER_WITH_TWO_TAGS: usize = 22;
