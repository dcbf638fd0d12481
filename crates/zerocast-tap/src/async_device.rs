//! [`AsyncTapDevice`]: a TAP/TUN interface registered with tokio's reactor (feature `tokio`).
//!
//! The interface is opened as usual ([`TapDevice::open`], with its error classification),
//! then handed to tun-rs's tokio backend, which owns the descriptor and registers it with
//! the reactor; that registration's `unsafe` I/O-safety contract stays inside tun-rs, so
//! this crate stays `forbid(unsafe_code)`. A read that finds nothing parks the task in
//! epoll until the kernel has a frame.
//!
//! Writes go through a duplicate of the descriptor, not through tun-rs's `try_send`: that
//! one only writes once tokio's reactor has seen the descriptor writable, so a frame sent
//! before the reactor's first turn (a SYN right after start-up) was dropped unseen. A TUN
//! write does not block; a full queue (`EAGAIN`) drops the frame, as [`TapDevice::send`]
//! does.
//!
//! A device opened with offload ([`TapDevice::open_offload`]) keeps its virtio-net header
//! here too: [`AsyncTapDevice::poll_recv`] reads it in front of each frame and finishes a
//! partial checksum (a received frame may be a coalesced TCP segment of up to 64 KiB), and
//! [`AsyncTapDevice::send_gso`] hands the kernel one GSO frame to cut. A UDP GSO frame
//! (USO: a sender's `UDP_SEGMENT`) is cut into its datagrams on receive
//! ([`crate::uso`]); they are handed out one per [`AsyncTapDevice::poll_recv`].

use std::fmt;
use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut, Write};
use std::os::fd::AsFd;
use std::task::{ready, Context, Poll};

use tun_rs::AsyncDevice;

use zerocast_stack::device::gso::GsoMeta;

use crate::device::{LinkKind, TapDevice};
use crate::offload::{send_segments, VnetHeader, VNET_HDR_LEN};
use crate::uso::CutDatagrams;

/// An open TAP/TUN interface for async use.
pub struct AsyncTapDevice {
    device: AsyncDevice,
    /// The same open file description under a second descriptor, for writes.
    writer: File,
    kind: LinkKind,
    name: String,
    mtu: u32,
    /// Every frame carries a virtio-net header (see [`crate::offload`]).
    vnet_hdr: bool,
    /// Datagrams cut from a received UDP GSO frame, not handed out yet.
    cut_datagrams: CutDatagrams,
}

impl fmt::Debug for AsyncTapDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncTapDevice")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("mtu", &self.mtu)
            .field("offload", &self.vnet_hdr)
            .finish_non_exhaustive()
    }
}

impl AsyncTapDevice {
    /// Registers an opened interface with the current tokio runtime.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    /// let _inside = runtime.enter();
    /// use zerocast_tap::async_device::AsyncTapDevice;
    /// use zerocast_tap::device::{LinkKind, TapDevice};
    /// let device = AsyncTapDevice::new(TapDevice::open("zc0", LinkKind::Tun, None)?)?;
    /// assert_eq!(device.name(), "zc0");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// No tokio runtime with I/O enabled, or the registration failed.
    pub fn new(device: TapDevice) -> io::Result<AsyncTapDevice> {
        if tokio::runtime::Handle::try_current().is_err() {
            // tun-rs would panic here; a missing runtime is the caller's error to handle.
            return Err(io::Error::other(
                "an async TAP/TUN device needs a tokio runtime with I/O enabled",
            ));
        }
        let (sync, kind, name, mtu, vnet_hdr) = device.into_parts();
        let writer = File::from(sync.as_fd().try_clone_to_owned()?);
        Ok(AsyncTapDevice {
            device: AsyncDevice::new(sync)?,
            writer,
            kind,
            name,
            mtu,
            vnet_hdr,
            cut_datagrams: CutDatagrams::default(),
        })
    }

    /// Whether frames carry the virtio-net header: TSO and checksum offload are on
    /// (received frames may then be up to 64 KiB long).
    #[must_use]
    pub fn offload(&self) -> bool {
        self.vnet_hdr
    }

    /// The interface name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// TAP or TUN.
    #[must_use]
    pub fn kind(&self) -> LinkKind {
        self.kind
    }

    /// The interface MTU.
    #[must_use]
    pub fn mtu(&self) -> u32 {
        self.mtu
    }

    /// Reads one frame into `buf`, or registers the task to be woken when one arrives.
    ///
    /// # Errors
    /// Read errors (the interface was deleted, ...).
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if !self.vnet_hdr {
            return self.device.poll_recv(cx, buf);
        }
        if let Some(len) = self.cut_datagrams.next(buf) {
            return Poll::Ready(Ok(len));
        }
        loop {
            ready!(self.device.poll_readable(cx))?;
            let mut header = [0u8; VNET_HDR_LEN];
            let mut parts = [IoSliceMut::new(&mut header), IoSliceMut::new(buf)];
            match self.device.try_recv_vectored(&mut parts) {
                Ok(len) => {
                    if let Some(h) = VnetHeader::parse(&header) {
                        if CutDatagrams::is_udp_gso(&h) {
                            return Poll::Ready(Ok(self
                                .cut_datagrams
                                .cut(self.kind, &h, buf, len)));
                        }
                    }
                    return Poll::Ready(Ok(TapDevice::after_vnet_header(&header, buf, len)));
                }
                // The readiness was stale and is now cleared: the next poll_readable
                // registers the waker.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    /// Writes one frame without waiting; `Ok(false)` when the kernel queue is full or the
    /// kernel end is down (the frame is lost, as on a real link).
    ///
    /// # Errors
    /// Other write errors.
    pub fn send(&self, frame: &[u8]) -> io::Result<bool> {
        if self.vnet_hdr {
            return self.send_with_header(&VnetHeader::NONE, frame);
        }
        Self::sent((&self.writer).write(frame))
    }

    /// Writes one GSO frame for the kernel to cut into segments (see
    /// `zerocast_stack::device::gso`); on a device without offload, the segments one by
    /// one. Full queue and link down drop it, as [`AsyncTapDevice::send`].
    ///
    /// # Errors
    /// Other write errors.
    pub fn send_gso(&self, frame: &mut [u8], meta: &GsoMeta) -> io::Result<bool> {
        if self.vnet_hdr {
            return self.send_with_header(&VnetHeader::for_gso(meta), frame);
        }
        send_segments(frame, meta, |segment| self.send(segment))
    }

    /// Writes `header` and `frame` in one `writev(2)` (no copy to join them).
    fn send_with_header(&self, header: &VnetHeader, frame: &[u8]) -> io::Result<bool> {
        let header = header.to_bytes();
        Self::sent((&self.writer).write_vectored(&[IoSlice::new(&header), IoSlice::new(frame)]))
    }

    /// What a write's result means for the frame.
    fn sent(result: io::Result<usize>) -> io::Result<bool> {
        match result {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            // EIO: the kernel end is down.
            Err(e) if e.raw_os_error() == Some(5) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
