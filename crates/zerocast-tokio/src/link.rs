//! [`FrameLink`]: where the driver reads frames from and the stack writes frames to.
//!
//! The driver needs two things of a link: a way to wait for the next frame that registers the
//! task's waker (so it sleeps instead of polling), and a transmit that never waits (the
//! core calls it from inside a stack call, holding the stack's lock). A full link drops the
//! frame, as a NIC with a full ring does; the protocols above recover.

use std::io;
use std::task::{Context, Poll};

use zerocast_stack::device::gso::GsoMeta;
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

    /// Whether the link does segmentation and checksum offload (a TUN/TAP with the
    /// virtio-net header): the stack then hands it GSO frames through
    /// [`FrameLink::send_gso`], and received frames may be coalesced TCP segments of up
    /// to 64 KiB. No by default.
    fn offload(&self) -> bool {
        false
    }

    /// Puts one GSO frame on the link (see `zerocast_stack::device::gso`). The default
    /// cuts it in software, in place, and sends the segments one by one; a link with
    /// [`FrameLink::offload`] hands the frame to the kernel whole.
    ///
    /// ```
    /// use zerocast_stack::device::gso::{GsoKind, GsoMeta};
    /// use zerocast_tokio::link::{FrameLink, LinkKind};
    /// use zerocast_tokio::memory::MemoryLink;
    /// let (a, b) = MemoryLink::pair(LinkKind::Tun, 1500, 8);
    /// let mut frame = vec![0u8; 40 + 2500];
    /// frame[0] = 0x45;
    /// frame[32] = 5 << 4;
    /// let meta = GsoMeta { kind: GsoKind::TcpV4, segment_size: 1000, header_len: 40,
    ///                      ip_start: 0, csum_start: 20, csum_offset: 16 };
    /// assert!(a.send_gso(&mut frame, &meta)?);
    /// let mut buf = [0u8; 1500];
    /// let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// let lens: Vec<_> = (0..3).map(|_| match b.poll_recv(&mut cx, &mut buf) {
    ///     std::task::Poll::Ready(Ok(n)) => n,
    ///     other => panic!("{other:?}"),
    /// }).collect();
    /// assert_eq!(lens, [1040, 1040, 540]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// A write error other than a full queue.
    fn send_gso(&self, frame: &mut [u8], meta: &GsoMeta) -> io::Result<bool> {
        zerocast_tap::offload::send_segments(frame, meta, |segment| self.send(segment))
    }
}

/// The buffer size that holds any frame of `link`: the MTU (the largest coalesced
/// segment, 65,535 bytes, on a link with offload) plus an Ethernet header with two VLAN
/// tags for a TAP.
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
    let mtu = if link.offload() {
        MAX_GRO_PACKET
    } else {
        usize::try_from(link.mtu()).unwrap_or(usize::MAX)
    };
    match link.kind() {
        LinkKind::Tun => mtu,
        LinkKind::Tap => mtu.saturating_add(ETHERNET_HEADER_WITH_TWO_TAGS),
    }
}

/// 14 bytes of Ethernet header and two 4-byte 802.1Q/802.1ad tags.
const ETHERNET_HEADER_WITH_TWO_TAGS: usize = 22;

/// The largest IP packet a link with offload hands over: the IPv4 total length's limit,
/// which is also Linux's GRO limit on a TUN/TAP.
const MAX_GRO_PACKET: usize = 65_535;
