//! [`StackBindings`]: the stack's view of the world under tokio — tokio's clock (so a test
//! on a paused runtime owns time), an OS-seeded generator, the link as transmit, and the
//! waker table as socket events.

use std::sync::Arc;

use zerocast_stack::context::{Clock, DeviceId, DeviceTx, Readiness, Rng, SocketEvents, SocketId};
use zerocast_stack::device::gso::GsoMeta;
use zerocast_stack::time::Instant;
use zerocast_tap::rng::SmallRng;

use crate::link::FrameLink;
use crate::wakers::WakerTable;

/// What the stack may use of the host; owned with the stack under its lock.
pub struct StackBindings {
    origin: tokio::time::Instant,
    rng: SmallRng,
    link: Arc<dyn FrameLink>,
    pub(crate) wakers: WakerTable,
    pub(crate) transmit_drops: u64,
    pub(crate) gso_frames_sent: u64,
    pub(crate) transmit_error: Option<std::io::Error>,
}

impl std::fmt::Debug for StackBindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StackBindings")
            .field("wakers", &self.wakers)
            .field("transmit_drops", &self.transmit_drops)
            .finish_non_exhaustive()
    }
}

impl StackBindings {
    /// Bindings over `link` with the clock's origin now and the given generator.
    pub(crate) fn new(link: Arc<dyn FrameLink>, rng: SmallRng) -> StackBindings {
        StackBindings {
            origin: tokio::time::Instant::now(),
            rng,
            link,
            wakers: WakerTable::default(),
            transmit_drops: 0,
            gso_frames_sent: 0,
            transmit_error: None,
        }
    }

    /// The tokio instant of the stack's instant `at` (for `sleep_until`); `None` when it
    /// is too far ahead for the platform's clock (such a timer never fires).
    #[must_use]
    pub fn tokio_instant(&self, at: Instant) -> Option<tokio::time::Instant> {
        self.origin
            .checked_add(std::time::Duration::from_nanos(at.as_nanos()))
    }
}

impl Clock for StackBindings {
    fn now(&self) -> Instant {
        let nanos = tokio::time::Instant::now()
            .saturating_duration_since(self.origin)
            .as_nanos();
        Instant::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

impl Rng for StackBindings {
    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

impl DeviceTx for StackBindings {
    fn transmit(&mut self, _device: DeviceId, frame: &[u8]) {
        let result = self.link.send(frame);
        self.transmitted(result);
    }

    /// The link cuts the frame: the kernel through the virtio-net header, or the link's
    /// default in software.
    fn transmit_gso(&mut self, _device: DeviceId, frame: &mut [u8], meta: &GsoMeta) {
        self.gso_frames_sent += 1;
        let result = self.link.send_gso(frame, meta);
        self.transmitted(result);
    }
}

impl StackBindings {
    /// Counts a refused or failed transmit.
    fn transmitted(&mut self, result: std::io::Result<bool>) {
        match result {
            Ok(true) => {}
            Ok(false) => self.transmit_drops += 1,
            Err(e) => {
                self.transmit_drops += 1;
                self.transmit_error = Some(e);
            }
        }
    }
}

impl SocketEvents for StackBindings {
    fn socket_ready(&mut self, socket: SocketId, readiness: Readiness) {
        self.wakers.wake(socket, readiness);
    }
}
