//! [`TunLink`]: a Linux TUN or TAP interface as a [`FrameLink`].
//!
//! zerocast-tap opens the interface (tun-rs holds the FFI) and, with its `tokio` feature,
//! registers the descriptor with tokio's reactor, so a read that finds nothing parks the
//! driver task in epoll until the kernel has a frame. Transmit is a non-blocking write: a
//! full kernel queue drops the frame.

use std::io;
use std::task::{Context, Poll};

use zerocast_stack::device::gso::GsoMeta;
use zerocast_tap::async_device::AsyncTapDevice;
use zerocast_tap::device::{OpenError, TapDevice};

use crate::link::{FrameLink, LinkKind};

/// A TUN/TAP interface registered with tokio.
#[derive(Debug)]
pub struct TunLink {
    device: AsyncTapDevice,
}

impl TunLink {
    /// Opens (attaching to, or creating) the interface `name` of `kind`, optionally setting
    /// its MTU, and registers it with the current tokio runtime.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zerocast_tokio::link::LinkKind;
    /// use zerocast_tokio::tun::TunLink;
    /// let link = TunLink::open("zc0", LinkKind::Tun, Some(1500))?;
    /// assert_eq!(link.device().name(), "zc0");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Those of [`TapDevice::open`]; outside a tokio runtime, [`OpenError::Other`].
    pub fn open(name: &str, kind: LinkKind, mtu: Option<u16>) -> Result<TunLink, OpenError> {
        TunLink::from_device(TapDevice::open(name, kind, mtu)?)
    }

    /// Like [`TunLink::open`], with segmentation and checksum offload when the kernel grants
    /// it (the virtio-net header, [`TapDevice::open_offload`]): the stack hands the kernel
    /// TCP segments of up to 64 KiB to cut and takes the large segments the kernel
    /// coalesced. [`FrameLink::offload`] says whether it was granted.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zerocast_tokio::link::{FrameLink, LinkKind};
    /// use zerocast_tokio::tun::TunLink;
    /// let link = TunLink::open_offload("zc0", LinkKind::Tun, Some(1500))?;
    /// println!("offload granted: {}", link.offload());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Those of [`TunLink::open`].
    pub fn open_offload(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
    ) -> Result<TunLink, OpenError> {
        TunLink::from_device(TapDevice::open_offload(name, kind, mtu)?)
    }

    /// Registers an interface opened with [`TapDevice`] (one queue of a multi-queue TUN,
    /// or one opened with offload) with the current tokio runtime.
    ///
    /// # Errors
    /// Outside a tokio runtime, [`OpenError::Other`].
    pub fn from_device(device: TapDevice) -> Result<TunLink, OpenError> {
        let name = device.name().to_owned();
        let device =
            AsyncTapDevice::new(device).map_err(|source| OpenError::Other { name, source })?;
        Ok(TunLink { device })
    }

    /// The interface.
    #[must_use]
    pub fn device(&self) -> &AsyncTapDevice {
        &self.device
    }
}

impl FrameLink for TunLink {
    fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.device.poll_recv(cx, buf)
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
