//! Opening a Linux TAP (Ethernet) or TUN (bare IP) interface through `tun-rs`, and waiting on
//! it.
//!
//! The binding attaches to an interface of the given name if it exists (made beforehand with
//! `ip tuntap add NAME mode tap`, for example inside a network namespace) or creates it. It
//! brings the link up but never configures an address, a route or a MAC address on the
//! kernel's side: the kernel end belongs to whoever runs the test or the host.
//!
//! Opening fails with an [`OpenError`] that says what to do about it (run as root, load the
//! `tun` module, stop the other process using the interface, ...), since those are the
//! errors a person meets first.

use std::fmt;
use std::io::{self, IoSlice, IoSliceMut};
use std::time::Duration;

use zerocast_stack::device::gso::GsoMeta;

use crate::offload::{finish_checksum, send_segments, VnetHeader, F_NEEDS_CSUM, VNET_HDR_LEN};
use crate::uso::CutDatagrams;

use tun_rs::{DeviceBuilder, InterruptEvent, Layer, SyncDevice};

/// Which kind of interface to open.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A TAP interface: whole Ethernet frames (without FCS) in both directions.
    Tap,
    /// A TUN interface: bare IPv4/IPv6 packets, no link header.
    Tun,
}

impl LinkKind {
    /// The `ip tuntap` mode name (`tap` or `tun`), for messages.
    ///
    /// ```
    /// assert_eq!(zerocast_tap::device::LinkKind::Tun.mode_name(), "tun");
    /// ```
    #[must_use]
    pub const fn mode_name(self) -> &'static str {
        match self {
            LinkKind::Tap => "tap",
            LinkKind::Tun => "tun",
        }
    }
}

/// Why an interface could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// `/dev/net/tun` does not exist (no `tun` module, or a container without the device).
    NoTunDevice,
    /// Opening `/dev/net/tun` or attaching to the interface was refused: this needs root or
    /// `CAP_NET_ADMIN`.
    PermissionDenied,
    /// Another process holds the interface (a TAP/TUN without multi-queue has one owner).
    InterfaceBusy {
        /// The interface name.
        name: String,
    },
    /// An interface of that name exists but is not a TAP/TUN of the requested kind (a TUN
    /// asked for as TAP, a veth, ...).
    WrongKind {
        /// The interface name.
        name: String,
        /// What was asked for.
        wanted: LinkKind,
    },
    /// The name is empty, too long for Linux (15 bytes) or contains a NUL, `/` or space.
    BadName {
        /// The name as given.
        name: String,
    },
    /// Anything else the kernel said.
    Other {
        /// The interface name.
        name: String,
        /// The error.
        source: io::Error,
    },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NoTunDevice => write!(
                f,
                "/dev/net/tun is missing: load the tun module (modprobe tun) or give the \
                 container the device"
            ),
            OpenError::PermissionDenied => write!(
                f,
                "permission denied opening /dev/net/tun: run as root or with CAP_NET_ADMIN"
            ),
            OpenError::InterfaceBusy { name } => write!(
                f,
                "interface {name} is in use by another process (a TAP/TUN has one owner)"
            ),
            OpenError::WrongKind { name, wanted } => write!(
                f,
                "interface {name} exists but is not a {} device (check `ip -d link show {name}`)",
                wanted.mode_name()
            ),
            OpenError::BadName { name } => write!(
                f,
                "bad interface name {name:?}: 1 to 15 bytes, no '/', space or NUL"
            ),
            OpenError::Other { name, source } => {
                write!(f, "cannot open interface {name}: {source}")
            }
        }
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpenError::Other { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Linux's `IFNAMSIZ` less the terminating NUL.
const MAX_NAME_LEN: usize = 15;

/// Checks an interface name the way the kernel's `dev_valid_name` does, so a bad name is
/// reported as such instead of as an opaque `EINVAL` from the ioctl.
///
/// ```
/// use zerocast_tap::device::valid_interface_name;
/// assert!(valid_interface_name("zc-tap0"));
/// assert!(!valid_interface_name("a/b"));
/// assert!(!valid_interface_name("sixteen-chars-xx"));
/// assert!(!valid_interface_name(".."));
/// ```
#[must_use]
pub fn valid_interface_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name != "."
        && name != ".."
        && !name
            .bytes()
            .any(|b| b == b'/' || b == b':' || b == 0 || b.is_ascii_whitespace())
}

/// Maps the `io::Error` of a failed open to what it means for a TAP/TUN.
fn classify_open_error(name: &str, kind: LinkKind, err: io::Error) -> OpenError {
    match err.raw_os_error() {
        Some(libc_errno::ENOENT) | Some(libc_errno::ENODEV) | Some(libc_errno::ENXIO) => {
            OpenError::NoTunDevice
        }
        Some(libc_errno::EPERM) | Some(libc_errno::EACCES) => OpenError::PermissionDenied,
        Some(libc_errno::EBUSY) => OpenError::InterfaceBusy {
            name: name.to_owned(),
        },
        Some(libc_errno::EINVAL) => OpenError::WrongKind {
            name: name.to_owned(),
            wanted: kind,
        },
        _ => OpenError::Other {
            name: name.to_owned(),
            source: err,
        },
    }
}

/// The Linux errno values the open path distinguishes (asm-generic/errno-base.h); spelled
/// out here so the crate needs no libc binding of its own.
mod libc_errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const ENXIO: i32 = 6;
    pub const EACCES: i32 = 13;
    pub const EBUSY: i32 = 16;
    pub const ENODEV: i32 = 19;
    pub const EINVAL: i32 = 22;
}

/// An open TAP or TUN interface.
///
/// Receiving sleeps in `poll(2)` (inside tun-rs) until a frame arrives, a timeout passes, or
/// another thread calls [`TapDevice::wake`]; sending is a plain `write(2)`.
pub struct TapDevice {
    device: SyncDevice,
    kind: LinkKind,
    name: String,
    mtu: u32,
    waker: InterruptEvent,
    /// Every frame carries a virtio-net header (opened with offload, see [`crate::offload`]).
    vnet_hdr: bool,
    /// Datagrams cut from a received UDP GSO frame, not handed out yet.
    cut_datagrams: CutDatagrams,
}

impl fmt::Debug for TapDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TapDevice")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("mtu", &self.mtu)
            .finish_non_exhaustive()
    }
}

/// What a wait on the device ended with.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Received {
    /// A frame of this many bytes is in the buffer.
    Frame(usize),
    /// The timeout passed with nothing to read.
    TimedOut,
    /// [`TapDevice::wake`] was called (an application queued work for the stack).
    Woken,
}

impl TapDevice {
    /// Opens (attaching to, or creating) the interface `name` of `kind` and brings it up.
    ///
    /// `mtu`, when given, is set on the interface; otherwise the interface keeps its MTU and
    /// [`TapDevice::mtu`] reports it.
    ///
    /// # Errors
    /// See [`OpenError`]: no `/dev/net/tun`, not permitted, busy, wrong kind, bad name.
    pub fn open(name: &str, kind: LinkKind, mtu: Option<u16>) -> Result<TapDevice, OpenError> {
        TapDevice::open_with(name, kind, mtu, false, false)
    }

    /// Like [`TapDevice::open`], with segmentation and checksum offload when the kernel
    /// grants them (`IFF_VNET_HDR`, `TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6`): received frames
    /// may be TCP segments of up to 64 KiB with their checksums finished here, and
    /// [`TapDevice::send_gso`] hands the kernel a GSO frame to cut. [`TapDevice::offload`]
    /// says whether it was granted; without it the device works as [`TapDevice::open`]'s.
    ///
    /// # Errors
    /// Those of [`TapDevice::open`].
    pub fn open_offload(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
    ) -> Result<TapDevice, OpenError> {
        TapDevice::open_with(name, kind, mtu, false, true)
    }

    /// Whether frames carry the virtio-net header: TSO and checksum offload are on.
    #[must_use]
    pub fn offload(&self) -> bool {
        self.vnet_hdr
    }

    /// Opens `queues` queues (at least 1) of the multi-queue interface `name`
    /// (`IFF_MULTI_QUEUE`; the kernel spreads flows over the queues by its own symmetric
    /// flow hash and sends a flow where its packets were last written). The interface must
    /// be new or multi-queue already: a single-queue one refuses (busy or wrong kind).
    ///
    /// ```no_run
    /// use zerocast_tap::device::{LinkKind, TapDevice};
    /// let queues = TapDevice::open_queues("zc0", LinkKind::Tun, Some(1500), 2)?;
    /// assert_eq!(queues.len(), 2);
    /// # Ok::<(), zerocast_tap::device::OpenError>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`TapDevice::open`]; attaching a further queue's error as
    /// [`OpenError::Other`].
    pub fn open_queues(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
        queues: usize,
    ) -> Result<Vec<TapDevice>, OpenError> {
        TapDevice::open_queues_with(name, kind, mtu, queues, false)
    }

    /// Like [`TapDevice::open_queues`], every queue with offload as
    /// [`TapDevice::open_offload`] (the kernel grants it per interface, so all queues or
    /// none have it).
    ///
    /// # Errors
    /// Those of [`TapDevice::open_queues`].
    pub fn open_queues_offload(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
        queues: usize,
    ) -> Result<Vec<TapDevice>, OpenError> {
        TapDevice::open_queues_with(name, kind, mtu, queues, true)
    }

    fn open_queues_with(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
        queues: usize,
        offload: bool,
    ) -> Result<Vec<TapDevice>, OpenError> {
        let first = TapDevice::open_with(name, kind, mtu, true, offload)?;
        let other = |source| OpenError::Other {
            name: name.to_owned(),
            source,
        };
        let mut all = Vec::with_capacity(queues.max(1));
        for _ in 1..queues.max(1) {
            let device = first.device.try_clone().map_err(other)?;
            device.set_nonblocking(true).map_err(other)?;
            all.push(TapDevice {
                device,
                kind,
                name: name.to_owned(),
                mtu: first.mtu,
                waker: InterruptEvent::new().map_err(other)?,
                vnet_hdr: first.vnet_hdr,
                cut_datagrams: CutDatagrams::default(),
            });
        }
        all.insert(0, first);
        Ok(all)
    }

    fn open_with(
        name: &str,
        kind: LinkKind,
        mtu: Option<u16>,
        multi_queue: bool,
        offload: bool,
    ) -> Result<TapDevice, OpenError> {
        if !valid_interface_name(name) {
            return Err(OpenError::BadName {
                name: name.to_owned(),
            });
        }
        if !std::path::Path::new("/dev/net/tun").exists() {
            return Err(OpenError::NoTunDevice);
        }
        let layer = match kind {
            LinkKind::Tap => Layer::L2,
            LinkKind::Tun => Layer::L3,
        };
        let mut builder = DeviceBuilder::new()
            .name(name)
            .layer(layer)
            .packet_information(false)
            .offload(offload)
            .multi_queue(multi_queue);
        if let Some(mtu) = mtu {
            builder = builder.mtu(mtu);
        }
        let device = builder
            .build_sync()
            .map_err(|e| classify_open_error(name, kind, e))?;
        let other = |source| OpenError::Other {
            name: name.to_owned(),
            source,
        };
        // Non-blocking, so a spurious poll wake-up never blocks in read(2) past a deadline.
        device.set_nonblocking(true).map_err(other)?;
        let mtu = u32::from(device.mtu().map_err(other)?);
        let waker = InterruptEvent::new().map_err(other)?;
        let vnet_hdr = offload && device.tcp_gso();
        Ok(TapDevice {
            device,
            kind,
            name: name.to_owned(),
            mtu,
            waker,
            vnet_hdr,
            cut_datagrams: CutDatagrams::default(),
        })
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

    /// The interface MTU (the largest IP packet; a TAP frame adds 14 bytes of header).
    #[must_use]
    pub fn mtu(&self) -> u32 {
        self.mtu
    }

    /// The MAC address of the kernel's end of a TAP (not the stack's address).
    ///
    /// # Errors
    /// The ioctl's error (a TUN has no MAC).
    pub fn kernel_mac(&self) -> io::Result<[u8; 6]> {
        self.device.mac_address()
    }

    /// Waits up to `timeout` (forever when `None`) for a frame and reads it into `buf`.
    ///
    /// A frame longer than `buf` is truncated by the kernel; size `buf` for the MTU plus the
    /// link header.
    ///
    /// # Errors
    /// Read errors other than the timeout and the wake-up (the interface was deleted, ...).
    pub fn receive(&self, buf: &mut [u8], timeout: Option<Duration>) -> io::Result<Received> {
        if let Some(len) = self.cut_datagrams.next(buf) {
            return Ok(Received::Frame(len));
        }
        let read = if self.vnet_hdr {
            let mut header = [0u8; VNET_HDR_LEN];
            let mut parts = [IoSliceMut::new(&mut header), IoSliceMut::new(buf)];
            let read = self
                .device
                .recv_vectored_intr_timeout(&mut parts, &self.waker, timeout);
            read.map(|len| self.after_header(&header, buf, len))
        } else {
            self.device.recv_intr_timeout(buf, &self.waker, timeout)
        };
        match read {
            Ok(len) => Ok(Received::Frame(len)),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(Received::TimedOut),
            Err(e) if e.kind() == io::ErrorKind::Interrupted && self.waker.is_trigger() => {
                self.waker.reset()?;
                Ok(Received::Woken)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(Received::TimedOut),
            Err(e) => Err(e),
        }
    }

    /// Reads a frame if one is waiting, without sleeping.
    ///
    /// # Errors
    /// Read errors other than "nothing to read".
    pub fn try_receive(&self, buf: &mut [u8]) -> io::Result<Option<usize>> {
        if let Some(len) = self.cut_datagrams.next(buf) {
            return Ok(Some(len));
        }
        let read = if self.vnet_hdr {
            let mut header = [0u8; VNET_HDR_LEN];
            let mut parts = [IoSliceMut::new(&mut header), IoSliceMut::new(buf)];
            let read = self.device.recv_vectored(&mut parts);
            read.map(|len| self.after_header(&header, buf, len))
        } else {
            self.device.recv(buf)
        };
        match read {
            Ok(len) => Ok(Some(len)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes one frame. A full kernel queue (`EAGAIN`) or a link that is down drops the
    /// frame, as a NIC would; the protocols above recover.
    ///
    /// # Errors
    /// Other write errors.
    pub fn send(&self, frame: &[u8]) -> io::Result<bool> {
        if self.vnet_hdr {
            return self.send_with_header(&VnetHeader::NONE, frame);
        }
        Self::sent(self.device.send(frame))
    }

    /// Writes one GSO frame for the kernel to cut into segments (see
    /// `zerocast_stack::device::gso`); on a device without offload, the segments one by
    /// one. Full queue and link down drop it, as [`TapDevice::send`].
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
        Self::sent(
            self.device
                .send_vectored(&[IoSlice::new(&header), IoSlice::new(frame)]),
        )
    }

    /// What a write's result means for the frame.
    fn sent(result: io::Result<usize>) -> io::Result<bool> {
        match result {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
            // EIO: the kernel end is down (the carrier follows the link's administrative
            // state); the frame is lost, as on an unplugged cable.
            Err(e) if e.raw_os_error() == Some(5) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// [`TapDevice::after_vnet_header`], and a UDP GSO frame cut into the datagrams it
    /// holds ([`crate::uso`]): the first is in `buf`, the others come out of the next reads.
    fn after_header(&self, header: &[u8; VNET_HDR_LEN], buf: &mut [u8], len: usize) -> usize {
        match VnetHeader::parse(header) {
            Some(h) if CutDatagrams::is_udp_gso(&h) => {
                self.cut_datagrams.cut(self.kind, &h, buf, len)
            }
            _ => Self::after_vnet_header(header, buf, len),
        }
    }

    /// The frame length after a read of `len` bytes behind a virtio-net header, with a
    /// partial checksum finished; 0 (an empty frame the stack drops as malformed) for a read
    /// too short for the header or a header pointing outside the frame.
    pub(crate) fn after_vnet_header(
        header: &[u8; VNET_HDR_LEN],
        buf: &mut [u8],
        len: usize,
    ) -> usize {
        let Some(frame_len) = len.checked_sub(VNET_HDR_LEN) else {
            return 0;
        };
        let frame_len = frame_len.min(buf.len());
        match VnetHeader::parse(header) {
            Some(h) if h.flags & F_NEEDS_CSUM != 0 => {
                if finish_checksum(&mut buf[..frame_len], &h) {
                    frame_len
                } else {
                    0
                }
            }
            _ => frame_len,
        }
    }

    /// Makes a [`TapDevice::receive`] in progress (or the next one) return
    /// [`Received::Woken`] at once. Safe to call from any thread.
    ///
    /// # Errors
    /// The pipe write's error (practically never).
    pub fn wake(&self) -> io::Result<()> {
        self.waker.trigger()
    }

    /// The tun-rs device and what this type knows about it, for the async binding
    /// ([`crate::async_device`]), which registers the descriptor with tokio.
    #[cfg(feature = "tokio")]
    pub(crate) fn into_parts(self) -> (SyncDevice, LinkKind, String, u32, bool) {
        (self.device, self.kind, self.name, self.mtu, self.vnet_hdr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os_error(code: i32) -> io::Error {
        io::Error::from_raw_os_error(code)
    }

    #[test]
    fn open_errors_name_their_cause() {
        let kind = LinkKind::Tap;
        assert!(matches!(
            classify_open_error("t", kind, os_error(libc_errno::EPERM)),
            OpenError::PermissionDenied
        ));
        assert!(matches!(
            classify_open_error("t", kind, os_error(libc_errno::EBUSY)),
            OpenError::InterfaceBusy { .. }
        ));
        assert!(matches!(
            classify_open_error("t", kind, os_error(libc_errno::ENOENT)),
            OpenError::NoTunDevice
        ));
        assert!(matches!(
            classify_open_error("t", kind, os_error(libc_errno::EINVAL)),
            OpenError::WrongKind { .. }
        ));
        let other = classify_open_error("t", kind, os_error(28));
        assert!(matches!(other, OpenError::Other { .. }));
        assert!(other.to_string().contains("interface t"));
    }

    #[test]
    fn busy_message_names_the_interface() {
        let err = OpenError::InterfaceBusy { name: "zc0".into() };
        assert!(err.to_string().contains("zc0"));
        assert!(err.to_string().contains("in use"));
    }

    #[test]
    fn bad_names_are_rejected_before_any_ioctl() {
        for bad in ["", "x".repeat(16).as_str(), "a b", "a/b", "a:b", ".", ".."] {
            assert!(
                matches!(
                    TapDevice::open(bad, LinkKind::Tap, None),
                    Err(OpenError::BadName { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(valid_interface_name(&"x".repeat(15)));
    }
}
