//! [`HostBindings`]: the stack's view of the Linux host — the monotonic clock, an OS-seeded
//! generator, the TAP/TUN device as frame transmit (through the capture and the fault
//! injector), and a flag that tells the loop a socket changed state.

use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

use zerocast_stack::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
use zerocast_stack::device::gso::{segment_in_place, GsoMeta};
use zerocast_stack::time::Instant;

use crate::device::TapDevice;
use crate::fault::FaultInjector;
use crate::pcapng::{Direction, PcapngWriter};
use crate::rng::SmallRng;

/// A pcapng capture of one interface.
#[derive(Debug)]
pub struct Capture {
    writer: PcapngWriter<BufWriter<File>>,
    interface: u32,
    /// The first write error; capturing stops after it (the stack keeps running).
    pub error: Option<std::io::Error>,
}

impl Capture {
    /// Starts a capture of `device` in `file`.
    ///
    /// # Errors
    /// Creating or writing the file.
    pub fn create(path: &std::path::Path, device: &TapDevice) -> std::io::Result<Capture> {
        let file = File::create(path)?;
        let mut writer = PcapngWriter::new(BufWriter::new(file), "zerocast-tap")?;
        let link_type = match device.kind() {
            crate::device::LinkKind::Tap => crate::pcapng::LINKTYPE_ETHERNET,
            crate::device::LinkKind::Tun => crate::pcapng::LINKTYPE_RAW,
        };
        let interface = writer.add_interface(link_type, device.name())?;
        writer.flush()?;
        Ok(Capture {
            writer,
            interface,
            error: None,
        })
    }

    /// Records one frame, stamped with the wall clock (captures are read against other
    /// tools' timestamps, which are wall-clock).
    pub fn record(&mut self, direction: Direction, frame: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        if let Err(e) = self
            .writer
            .write_packet(self.interface, now, direction, frame)
        {
            self.error = Some(e);
        }
    }

    /// Pushes buffered blocks to the file (done whenever the loop goes idle, so a capture
    /// is complete up to the last quiet moment even if the process is killed).
    pub fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.writer.flush() {
                self.error = Some(e);
            }
        }
    }
}

/// What the stack may use of the host. One per running stack, owned together with it.
#[derive(Debug)]
pub struct HostBindings {
    origin: std::time::Instant,
    rng: SmallRng,
    device: Arc<TapDevice>,
    /// The capture, when `--pcap` was given.
    pub capture: Option<Capture>,
    /// Faults applied to transmitted frames.
    pub outbound_faults: Option<FaultInjector>,
    /// Set when a socket changed state; the owner wakes blocked callers and clears it.
    pub socket_event: bool,
    /// Which sockets changed state, recorded only when this is `Some` (an event-driven
    /// service on the stack's thread takes the list; blocking sockets need only
    /// `socket_event`). May name a socket more than once.
    pub ready_sockets: Option<Vec<SocketId>>,
    /// Frames the device refused (queue full, link down) or failed to write.
    pub transmit_drops: u64,
    /// The last transmit error other than a full queue.
    pub transmit_error: Option<std::io::Error>,
    /// GSO frames handed to the kernel whole (a device opened with offload).
    pub gso_frames_sent: u64,
}

impl HostBindings {
    /// Bindings over `device`, with the clock's origin now and a generator seeded from the
    /// OS.
    ///
    /// # Errors
    /// No OS entropy.
    pub fn new(device: Arc<TapDevice>) -> std::io::Result<HostBindings> {
        Ok(HostBindings {
            origin: std::time::Instant::now(),
            rng: SmallRng::from_os()?,
            device,
            capture: None,
            outbound_faults: None,
            socket_event: false,
            ready_sockets: None,
            transmit_drops: 0,
            transmit_error: None,
            gso_frames_sent: 0,
        })
    }

    /// The stack's instant for a `std` instant (saturating before the origin).
    #[must_use]
    pub fn instant_of(&self, at: std::time::Instant) -> Instant {
        let nanos = at.saturating_duration_since(self.origin).as_nanos();
        Instant::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// The `std` duration from now until the stack's instant `at` (zero if it has passed).
    #[must_use]
    pub fn until(&self, at: Instant) -> std::time::Duration {
        at.saturating_duration_since(self.now())
    }

    /// Puts a frame the outbound faults held back on the wire once it has waited long
    /// enough.
    pub fn flush_outbound_faults(&mut self, now: std::time::Instant) {
        let (device, drops, error) = (
            &self.device,
            &mut self.transmit_drops,
            &mut self.transmit_error,
        );
        if let Some(faults) = &mut self.outbound_faults {
            faults.flush_due(now, |f| Self::put_on_wire(device, drops, error, f));
        }
    }

    /// Writes a frame to the device, counting what the device refuses.
    fn put_on_wire(
        device: &TapDevice,
        drops: &mut u64,
        error: &mut Option<std::io::Error>,
        frame: &[u8],
    ) {
        match device.send(frame) {
            Ok(true) => {}
            Ok(false) => *drops += 1,
            Err(e) => {
                *drops += 1;
                *error = Some(e);
            }
        }
    }
}

impl Clock for HostBindings {
    fn now(&self) -> Instant {
        self.instant_of(std::time::Instant::now())
    }
}

impl Rng for HostBindings {
    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

impl DeviceTx for HostBindings {
    fn transmit(&mut self, _device: DeviceId, frame: &[u8]) {
        if let Some(capture) = &mut self.capture {
            capture.record(Direction::Outbound, frame);
        }
        let (device, drops, error) = (
            &self.device,
            &mut self.transmit_drops,
            &mut self.transmit_error,
        );
        match &mut self.outbound_faults {
            Some(faults) => faults.pass(frame, std::time::Instant::now(), |f| {
                Self::put_on_wire(device, drops, error, f);
            }),
            None => Self::put_on_wire(device, drops, error, frame),
        }
    }

    fn transmit_gso(&mut self, device: DeviceId, frame: &mut [u8], meta: &GsoMeta) {
        if self.outbound_faults.is_some() || !self.device.offload() {
            // Faults act on the segments a wire carries; a device without offload takes
            // only those.
            let _ = segment_in_place(frame, meta, |segment| self.transmit(device, segment));
            return;
        }
        if let Some(capture) = &mut self.capture {
            // As tcpdump on a TSO interface shows it: one large frame.
            capture.record(Direction::Outbound, frame);
        }
        self.gso_frames_sent += 1;
        match self.device.send_gso(frame, meta) {
            Ok(true) => {}
            Ok(false) => self.transmit_drops += 1,
            Err(e) => {
                self.transmit_drops += 1;
                self.transmit_error = Some(e);
            }
        }
    }
}

impl SocketEvents for HostBindings {
    fn socket_ready(&mut self, socket: SocketId, _readiness: Readiness) {
        self.socket_event = true;
        if let Some(ready) = &mut self.ready_sockets {
            ready.push(socket);
        }
    }
}
