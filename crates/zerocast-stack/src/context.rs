//! What the core needs from the world, as traits the embedder implements.
//!
//! The core performs no I/O. Each entry point of the stack (a received frame, an
//! application's socket call, a timer firing) takes a `&mut impl Bindings` and runs to
//! completion; everything it needs from outside — the time, randomness, a way to put a
//! frame on a device, a way to tell the application a socket became ready — goes through
//! these traits. A test implements them with a fake clock, a seeded generator and an
//! in-memory link, so every run is reproducible; the Linux binding implements them over a
//! TAP/TUN file descriptor and the real monotonic clock.
//!
//! Timers are not a trait: the stack keeps its own deadlines and the embedder asks for the
//! earliest one after every call, then calls back when it has passed (see
//! [`TimerHeap`](crate::timer::TimerHeap)).

use crate::time::Instant;

/// The monotonic clock.
pub trait Clock {
    /// The current instant. Must never go backwards between calls.
    fn now(&self) -> Instant;
}

/// The random source: ISNs, ephemeral ports, DAD and MLD delays, jitter.
///
/// It need not be cryptographically strong for tests, but an embedder on a real network
/// must seed it from the OS, since port and sequence-number guessing attacks rely on it.
pub trait Rng {
    /// The next 64 random bits.
    fn next_u64(&mut self) -> u64;

    /// A value uniformly distributed in `0..bound` (`0` when `bound` is 0).
    ///
    /// ```
    /// use zerocast_stack::context::Rng;
    /// struct Counter(u64);
    /// impl Rng for Counter {
    ///     fn next_u64(&mut self) -> u64 { self.0 += 1; self.0 }
    /// }
    /// let mut rng = Counter(0);
    /// assert!(rng.below(10) < 10);
    /// assert_eq!(rng.below(0), 0);
    /// ```
    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        // Multiply-shift (Lemire): unbiased enough for protocol jitter, and branch-free.
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

/// Identifies one device (interface) of a stack. Handed out by the stack when a device is
/// added; the embedder uses it to route received frames in and transmitted frames out.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub(crate) u32);

impl DeviceId {
    /// The index of the device in the order devices were added (0, 1, ...), for embedders
    /// that keep per-device state in a vector.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Puts frames on the wire.
pub trait DeviceTx {
    /// Transmits one frame on `device`: a whole Ethernet frame (without FCS) for an Ethernet
    /// device or a VLAN's parent, a bare IPv4/IPv6 packet for a pure-IP device. The slice is
    /// only valid for the call; an embedder that queues must copy. Dropping a frame (queue
    /// full) is allowed: the protocols above recover as on a real network.
    fn transmit(&mut self, device: DeviceId, frame: &[u8]);

    /// Transmits one frame like [`DeviceTx::transmit`], built in a buffer the stack owns
    /// and reuses (TCP and UDP sends). An embedder that queues frames may keep the frame
    /// without copying it by swapping `frame` with a spare buffer of its own, of any length
    /// and contents: the stack resizes and overwrites what it gets back before using it.
    /// The default calls [`DeviceTx::transmit`].
    ///
    /// ```
    /// use zerocast_stack::context::{DeviceId, DeviceTx};
    /// struct Queue { sent: Vec<Vec<u8>>, spare: Vec<Vec<u8>> }
    /// impl DeviceTx for Queue {
    ///     fn transmit(&mut self, _: DeviceId, frame: &[u8]) { self.sent.push(frame.to_vec()); }
    ///     fn transmit_vec(&mut self, _: DeviceId, frame: &mut Vec<u8>) {
    ///         let spare = self.spare.pop().unwrap_or_default();
    ///         self.sent.push(std::mem::replace(frame, spare));
    ///     }
    /// }
    /// # let dev = zerocast_stack::Stack::new(Default::default()).add_pure_ip_device(1500);
    /// let mut q = Queue { sent: Vec::new(), spare: vec![vec![0xee; 3]] };
    /// let mut frame = vec![0x45, 0, 0, 20];
    /// q.transmit_vec(dev, &mut frame);
    /// assert_eq!(q.sent, [vec![0x45, 0, 0, 20]]);
    /// assert_eq!(frame, [0xee; 3]); // the stack overwrites it before the next frame
    /// ```
    fn transmit_vec(&mut self, device: DeviceId, frame: &mut alloc::vec::Vec<u8>) {
        self.transmit(device, frame);
    }

    /// Transmits one GSO frame on a device with TSO (see [`crate::device::gso`]): TCP
    /// payload of several segments behind one set of headers, the TCP checksum field
    /// holding the pseudo-header's partial sum, to be cut at `meta.segment_size`. The stack
    /// calls this only for devices whose
    /// [`DeviceOffload::tso`](crate::device::offload::DeviceOffload::tso) is set.
    ///
    /// The default cuts the frame in software (in place, in `frame`'s buffer) and calls
    /// [`DeviceTx::transmit`] once per segment, so an embedder needs to override it only
    /// to hand the frame to a device that segments itself (a TUN with the virtio-net
    /// header).
    ///
    /// ```
    /// use zerocast_stack::context::{DeviceId, DeviceTx};
    /// use zerocast_stack::device::gso::{GsoKind, GsoMeta};
    /// struct Wire(Vec<usize>);
    /// impl DeviceTx for Wire {
    ///     fn transmit(&mut self, _: DeviceId, frame: &[u8]) { self.0.push(frame.len()); }
    /// }
    /// # fn dev() -> DeviceId { let mut s = zerocast_stack::Stack::new(Default::default()); s.add_pure_ip_device(1500) }
    /// let mut frame = vec![0u8; 40 + 2500];
    /// frame[0] = 0x45;
    /// frame[32] = 5 << 4;
    /// let meta = GsoMeta { kind: GsoKind::TcpV4, segment_size: 1000, header_len: 40,
    ///                      ip_start: 0, csum_start: 20, csum_offset: 16 };
    /// let mut wire = Wire(Vec::new());
    /// wire.transmit_gso(dev(), &mut frame, &meta);
    /// assert_eq!(wire.0, [1040, 1040, 540]);
    /// ```
    fn transmit_gso(
        &mut self,
        device: DeviceId,
        frame: &mut [u8],
        meta: &crate::device::gso::GsoMeta,
    ) {
        // The stack builds only frames that match their meta; a mismatch sends nothing.
        let _ = crate::device::gso::segment_in_place(frame, meta, |segment| {
            self.transmit(device, segment);
        });
    }
}

/// Identifies one socket of a stack.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SocketId(pub(crate) u32);

impl SocketId {
    /// A number unique among the stack's open sockets (reused after a socket closes).
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// What changed about a socket, so a blocked reader or writer can retry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Readiness {
    /// Data (or an error, or end of stream) can be read without blocking.
    pub readable: bool,
    /// Data can be written without blocking.
    pub writable: bool,
    /// An error is pending (for UDP: an ICMP error for a datagram it sent).
    pub error: bool,
}

/// Receives socket readiness changes.
pub trait SocketEvents {
    /// `socket` changed state. Called from inside a stack entry point; the embedder should
    /// wake whoever waits on the socket and do the socket call afterwards, not from here.
    fn socket_ready(&mut self, socket: SocketId, readiness: Readiness);
}

/// Everything an embedder provides, in one bound.
pub trait Bindings: Clock + Rng + DeviceTx + SocketEvents {}

impl<T: Clock + Rng + DeviceTx + SocketEvents> Bindings for T {}
