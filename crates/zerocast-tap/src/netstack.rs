//! [`NetStack`]: a zerocast stack on one TAP/TUN interface, driven by its own thread.
//!
//! The thread sleeps in `poll(2)` until a frame arrives, the stack's next deadline passes,
//! or an application call wakes it; it then feeds every waiting frame to the core as one
//! burst (`receive_burst`: TCP acknowledges a burst's data together), fires due timers
//! (`handle_timers`), and goes back to sleep for exactly as long as the next deadline
//! allows — no busy loop and no fixed tick. The stack and its
//! bindings sit behind one mutex: the loop holds it only while it processes, and the
//! blocking sockets of [`crate::udp`] take it for each call, so an application never polls.
//!
//! Time is `std::time::Instant` relative to the moment the stack started; the generator is
//! seeded from the OS.

use std::io;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use zerocast_stack::context::DeviceId;
use zerocast_stack::device::offload::DeviceOffload;
use zerocast_stack::{Stack, StackConfig};
use zerocast_wire::MacAddr;

use crate::burst::BurstBuffer;
use crate::device::{LinkKind, OpenError, Received, TapDevice};
use crate::fault::{FaultConfig, FaultInjector};
use crate::host::{Capture, HostBindings};
use crate::pcapng::Direction;

/// How to set up a stack on an interface.
#[derive(Clone, Debug)]
pub struct NetStackConfig {
    /// The interface name (attached to if it exists, created otherwise).
    pub interface: String,
    /// TAP (Ethernet) or TUN (bare IP).
    pub kind: LinkKind,
    /// The MTU to set on the interface; `None` keeps the interface's.
    pub mtu: Option<u16>,
    /// The stack's MAC address on a TAP.
    pub mac: [u8; 6],
    /// Addresses with prefix lengths.
    pub addresses: Vec<(IpAddr, u8)>,
    /// Default gateways (at most one per family is used).
    pub gateways: Vec<IpAddr>,
    /// Where to write a pcapng capture.
    pub pcap: Option<PathBuf>,
    /// Fault injection in both directions.
    pub faults: FaultConfig,
    /// Open the interface with segmentation and checksum offload (the virtio-net header)
    /// and let TCP send GSO frames, when the kernel grants it; off, every frame is one
    /// packet with final checksums.
    pub offload: bool,
}

impl NetStackConfig {
    /// A configuration for `interface` of `kind` with no addresses yet and a random
    /// locally administered MAC.
    ///
    /// ```
    /// use zerocast_tap::device::LinkKind;
    /// use zerocast_tap::netstack::NetStackConfig;
    /// let config = NetStackConfig::new("zc0", LinkKind::Tap);
    /// assert_eq!(config.mac[0] & 0x03, 0x02, "unicast, locally administered");
    /// ```
    #[must_use]
    pub fn new(interface: &str, kind: LinkKind) -> NetStackConfig {
        NetStackConfig {
            interface: interface.to_owned(),
            kind,
            mtu: None,
            mac: random_local_mac(),
            addresses: Vec::new(),
            gateways: Vec::new(),
            pcap: None,
            faults: FaultConfig::default(),
            offload: false,
        }
    }
}

/// A random unicast, locally administered MAC (first octet `x2`, `x6`, `xa` or `xe`).
fn random_local_mac() -> [u8; 6] {
    use zerocast_stack::context::Rng;
    let bits = crate::rng::SmallRng::from_os()
        .map(|mut r| r.next_u64())
        .unwrap_or(0x5e_1000_0001)
        .to_le_bytes();
    [
        (bits[0] & 0xfc) | 0x02,
        bits[1],
        bits[2],
        bits[3],
        bits[4],
        bits[5],
    ]
}

/// Why a stack could not start.
#[derive(Debug)]
pub enum StartError {
    /// The interface could not be opened.
    Open(OpenError),
    /// The core refused an address (duplicate, bad prefix, ...).
    Address {
        /// The address.
        addr: IpAddr,
        /// The core's reason.
        reason: String,
    },
    /// The core refused a default route.
    Route {
        /// The gateway.
        gateway: IpAddr,
        /// The core's reason.
        reason: String,
    },
    /// The capture file could not be created.
    Capture {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// Anything else (no entropy, thread creation).
    Io(io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Open(e) => e.fmt(f),
            StartError::Address { addr, reason } => {
                write!(f, "cannot add address {addr}: {reason}")
            }
            StartError::Route { gateway, reason } => {
                write!(f, "cannot add a default route via {gateway}: {reason}")
            }
            StartError::Capture { path, source } => {
                write!(f, "cannot write capture {}: {source}", path.display())
            }
            StartError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StartError {}

/// The stack, its bindings, and the loop's inbound fault injector, under one lock.
pub(crate) struct State {
    pub(crate) stack: Stack,
    pub(crate) bindings: HostBindings,
    pub(crate) device_id: DeviceId,
    inbound_faults: Option<FaultInjector>,
}

impl State {
    /// Feeds a burst of received frames to the core as one `receive_burst` (through the
    /// inbound faults and the capture), so TCP acknowledges the burst's data together.
    fn receive(&mut self, burst: &mut BurstBuffer) {
        let State {
            stack,
            bindings,
            device_id,
            inbound_faults,
        } = self;
        match inbound_faults {
            None => {
                if let Some(capture) = &mut bindings.capture {
                    for frame in burst.frames() {
                        capture.record(Direction::Inbound, frame);
                    }
                }
                stack.receive_burst(bindings, *device_id, burst.frames_mut());
            }
            Some(faults) => {
                let now = std::time::Instant::now();
                let mut survivors = Vec::new();
                for frame in burst.frames() {
                    faults.pass(frame, now, |survivor| {
                        if let Some(capture) = &mut bindings.capture {
                            capture.record(Direction::Inbound, survivor);
                        }
                        survivors.push(survivor.to_vec());
                    });
                }
                stack.receive_burst(
                    bindings,
                    *device_id,
                    survivors.iter_mut().map(Vec::as_mut_slice),
                );
            }
        }
    }

    /// Releases frames the fault injectors have held for their maximum time; returns when
    /// the next held frame is due.
    fn flush_due_faults(&mut self, now: std::time::Instant) -> Option<std::time::Instant> {
        let State {
            stack,
            bindings,
            device_id,
            inbound_faults,
        } = self;
        if let Some(faults) = inbound_faults {
            faults.flush_due(now, |held| {
                if let Some(capture) = &mut bindings.capture {
                    capture.record(Direction::Inbound, held);
                }
                let mut copy = held.to_vec();
                stack.receive_frame(bindings, *device_id, &mut copy);
            });
        }
        bindings.flush_outbound_faults(now);
        let inbound_due = inbound_faults.as_ref().and_then(FaultInjector::release_at);
        let outbound_due = bindings
            .outbound_faults
            .as_ref()
            .and_then(FaultInjector::release_at);
        inbound_due.into_iter().chain(outbound_due).min()
    }
}

/// What the loop thread and the socket handles share.
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    /// Signalled whenever a socket may have become ready.
    pub(crate) ready: Condvar,
    pub(crate) device: Arc<TapDevice>,
    /// The core's id of the interface.
    pub(crate) device_id: DeviceId,
    stop: AtomicBool,
}

impl Shared {
    /// Locks the state (a panic in another holder does not stop the stack: the state is
    /// only ever left consistent between core calls).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// After an application's call: wake blocked callers if a socket changed, and wake the
    /// loop if the call armed a deadline earlier than the one it sleeps towards.
    pub(crate) fn after_call(
        &self,
        state: &mut State,
        deadline_before: Option<zerocast_stack::time::Instant>,
    ) {
        if std::mem::take(&mut state.bindings.socket_event) {
            self.ready.notify_all();
        }
        let deadline_after = state.stack.next_deadline();
        let earlier = match (deadline_before, deadline_after) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(before), Some(after)) => after < before,
        };
        if earlier {
            // A failed wake-up only delays the timer to the loop's next wake.
            let _ = self.device.wake();
        }
    }
}

/// A running stack. Cloning gives another handle to the same stack; the loop stops when
/// [`NetStack::shutdown`] is called (dropping handles does not stop it, so sockets keep
/// working).
#[derive(Clone)]
pub struct NetStack {
    pub(crate) shared: Arc<Shared>,
    thread: Arc<Mutex<Option<JoinHandle<io::Result<()>>>>>,
}

impl std::fmt::Debug for NetStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetStack")
            .field("device", &self.shared.device)
            .finish_non_exhaustive()
    }
}

/// Counts the binding itself keeps (the core's counters are in `device_counters`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct BindingCounters {
    /// Frames read from the interface.
    pub frames_received: u64,
    /// Frames the interface refused (queue full, link down).
    pub transmit_drops: u64,
    /// Frames dropped by fault injection (both directions).
    pub fault_drops: u64,
    /// Frames reordered by fault injection (both directions).
    pub fault_reorders: u64,
    /// GSO frames (several TCP segments each) handed to the kernel whole.
    pub gso_frames_sent: u64,
}

impl NetStack {
    /// Opens the interface, builds the stack (device, addresses, routes), starts the
    /// capture, and starts the loop thread.
    ///
    /// # Errors
    /// See [`StartError`].
    pub fn start(config: &NetStackConfig) -> Result<NetStack, StartError> {
        NetStack::start_with_hook(config, |_, _| {})
    }

    /// Like [`NetStack::start`], with `after_input` called on the stack's own thread, under
    /// the lock, after every batch of received frames and every timer round.
    ///
    /// A service that answers from there (draining its sockets with the core's sans-IO
    /// calls) costs no thread switch per packet, where a thread on the blocking sockets
    /// costs two; `zcstack serve` runs its echo services this way.
    ///
    /// # Errors
    /// See [`StartError`].
    pub fn start_with_hook(
        config: &NetStackConfig,
        after_input: impl FnMut(&mut Stack, &mut HostBindings) + Send + 'static,
    ) -> Result<NetStack, StartError> {
        let device = Arc::new(
            if config.offload {
                TapDevice::open_offload(&config.interface, config.kind, config.mtu)
            } else {
                TapDevice::open(&config.interface, config.kind, config.mtu)
            }
            .map_err(StartError::Open)?,
        );
        let mut bindings = HostBindings::new(Arc::clone(&device)).map_err(StartError::Io)?;
        if let Some(path) = &config.pcap {
            let capture = Capture::create(path, &device).map_err(|source| StartError::Capture {
                path: path.clone(),
                source,
            })?;
            bindings.capture = Some(capture);
        }
        if config.faults.is_active() {
            // Different streams per direction, both following from the one seed.
            bindings.outbound_faults = Some(FaultInjector::new(FaultConfig {
                seed: config.faults.seed ^ 0x6f75_7462_6f75_6e64,
                ..config.faults
            }));
        }
        let mut stack = Stack::new(StackConfig::default());
        let device_id = match config.kind {
            LinkKind::Tap => stack.add_ethernet_device(MacAddr(config.mac), device.mtu()),
            LinkKind::Tun => stack.add_pure_ip_device(device.mtu()),
        };
        if device.offload() {
            stack.set_device_offload(device_id, DeviceOffload::tso_64k());
        }
        for &(addr, prefix_len) in &config.addresses {
            stack
                .add_address(&mut bindings, device_id, addr, prefix_len)
                .map_err(|e| StartError::Address {
                    addr,
                    reason: format!("{e:?}"),
                })?;
        }
        for &gateway in &config.gateways {
            add_default_route(&mut stack, device_id, gateway)
                .map_err(|reason| StartError::Route { gateway, reason })?;
        }
        let inbound_faults = config
            .faults
            .is_active()
            .then(|| FaultInjector::new(config.faults));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                stack,
                bindings,
                device_id,
                inbound_faults,
            }),
            ready: Condvar::new(),
            device,
            device_id,
            stop: AtomicBool::new(false),
        });
        let loop_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("zerocast {}", config.interface))
            .spawn(move || run_loop(&loop_shared, after_input))
            .map_err(StartError::Io)?;
        Ok(NetStack {
            shared,
            thread: Arc::new(Mutex::new(Some(thread))),
        })
    }

    /// The interface the stack runs on.
    #[must_use]
    pub fn device(&self) -> &TapDevice {
        &self.shared.device
    }

    /// The core's id of the interface (for core calls that name a device, such as
    /// multicast joins).
    #[must_use]
    pub fn device_id(&self) -> DeviceId {
        self.shared.device_id
    }

    /// Runs `f` on the stack under its lock (for embedders that need a core call this
    /// crate does not wrap), then wakes the loop and blocked sockets as needed.
    pub fn with_stack<R>(&self, f: impl FnOnce(&mut Stack, &mut HostBindings) -> R) -> R {
        let mut state = self.shared.lock();
        let before = state.stack.next_deadline();
        let st = &mut *state;
        let result = f(&mut st.stack, &mut st.bindings);
        self.shared.after_call(&mut state, before);
        result
    }

    /// What the binding has counted so far.
    #[must_use]
    pub fn counters(&self) -> BindingCounters {
        let state = self.shared.lock();
        let mut c = BindingCounters {
            frames_received: FRAMES_RECEIVED.load(Ordering::Relaxed),
            transmit_drops: state.bindings.transmit_drops,
            gso_frames_sent: state.bindings.gso_frames_sent,
            ..BindingCounters::default()
        };
        for faults in [&state.inbound_faults, &state.bindings.outbound_faults]
            .into_iter()
            .flatten()
        {
            c.fault_drops += faults.counters().dropped;
            c.fault_reorders += faults.counters().reordered;
        }
        c
    }

    /// Stops the loop, flushes the capture, and waits for the thread.
    ///
    /// # Errors
    /// The error that ended the loop, if it ended by itself (interface deleted, ...).
    pub fn shutdown(&self) -> io::Result<()> {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.device.wake()?;
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        let result = match thread {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("stack thread panicked"))),
            None => Ok(()),
        };
        if let Some(capture) = &mut self.shared.lock().bindings.capture {
            capture.flush();
        }
        result
    }

    /// Waits until the loop ends (it runs until [`NetStack::shutdown`] or an I/O error).
    ///
    /// # Errors
    /// The error that ended the loop.
    pub fn wait(&self) -> io::Result<()> {
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        match thread {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("stack thread panicked"))),
            None => Ok(()),
        }
    }
}

/// Frames read since the process started (all stacks), kept outside the lock.
static FRAMES_RECEIVED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Frames handled under one hold of the lock before the loop lets sockets in.
const RECEIVE_BATCH: usize = 64;

/// The loop: sleep until a frame, the next deadline or a wake-up; process; repeat.
fn run_loop(
    shared: &Shared,
    mut after_input: impl FnMut(&mut Stack, &mut HostBindings),
) -> io::Result<()> {
    // Ethernet header + 802.1Q tag + the largest MTU Linux allows on a TAP.
    let mut burst = BurstBuffer::new(65_536 + 18, RECEIVE_BATCH);
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let timeout = {
            let mut state = shared.lock();
            let st = &mut *state;
            let now = std::time::Instant::now();
            let fault_due = st.flush_due_faults(now);
            st.stack.handle_timers(&mut st.bindings);
            after_input(&mut st.stack, &mut st.bindings);
            if std::mem::take(&mut st.bindings.socket_event) {
                shared.ready.notify_all();
            }
            if let Some(capture) = &mut st.bindings.capture {
                capture.flush();
            }
            let stack_wait = st
                .stack
                .next_deadline()
                .map(|deadline| st.bindings.until(deadline));
            let fault_wait = fault_due.map(|at| at.saturating_duration_since(now));
            stack_wait.into_iter().chain(fault_wait).min()
        };
        match shared.device.receive(burst.start(), timeout)? {
            Received::Frame(len) => {
                burst.commit(len);
                // Everything already waiting, up to the burst's limits, goes in with it.
                while let Some(slot) = burst.next_slot() {
                    match shared.device.try_receive(slot)? {
                        Some(len) => burst.commit(len),
                        None => break,
                    }
                }
                FRAMES_RECEIVED.fetch_add(burst.len() as u64, Ordering::Relaxed);
                let mut state = shared.lock();
                state.receive(&mut burst);
                let st = &mut *state;
                st.stack.handle_timers(&mut st.bindings);
                after_input(&mut st.stack, &mut st.bindings);
                if std::mem::take(&mut st.bindings.socket_event) {
                    shared.ready.notify_all();
                }
            }
            Received::TimedOut | Received::Woken => {}
        }
    }
}

/// Installs a default route for `gateway`'s family through `device`.
fn add_default_route(stack: &mut Stack, device: DeviceId, gateway: IpAddr) -> Result<(), String> {
    let unspecified = match gateway {
        IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
    };
    stack
        .add_route(unspecified, 0, device, Some(gateway))
        .map_err(|e| format!("{e:?}"))
}
