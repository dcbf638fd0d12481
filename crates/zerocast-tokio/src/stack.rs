//! [`AsyncStack`]: a zerocast stack on one link, driven by one tokio task.
//!
//! The stack and its bindings sit behind a mutex that is only ever held for one core call
//! (never across an `.await`). The [`Driver`] task waits, with no timer of its own, for the
//! first of: a frame on the link, the stack's next deadline, a nudge from an application
//! call that armed an earlier deadline, or shutdown. It then feeds every frame that is
//! waiting (up to [`RECEIVE_BATCH`]) to the core as one receive burst, fires due timers
//! and waits again. Sockets ([`crate::udp`]) make their core calls directly through
//! [`AsyncStack::poll_socket`].

use std::future::poll_fn;
use std::io;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tokio::sync::Notify;
use zerocast_stack::context::{DeviceId, SocketId};
use zerocast_stack::device::offload::DeviceOffload;
use zerocast_stack::{MacAddr, SocketError, Stack, StackConfig};
use zerocast_tap::burst::BurstBuffer;
use zerocast_tap::rng::SmallRng;

use crate::bindings::StackBindings;
use crate::link::{frame_capacity, FrameLink, LinkKind};
use crate::wakers::Interest;

/// Frames fed to the core per lock before the driver lets socket tasks in.
pub const RECEIVE_BATCH: usize = 64;

/// How to set up the stack on its link.
#[derive(Clone, Debug)]
pub struct AsyncStackConfig {
    /// The core's configuration.
    pub stack: StackConfig,
    /// The stack's MAC on a TAP link.
    pub mac: [u8; 6],
    /// Addresses with prefix lengths.
    pub addresses: Vec<(IpAddr, u8)>,
    /// Default gateways (at most one per family is used).
    pub gateways: Vec<IpAddr>,
    /// Seeds the generator (ISNs, ephemeral ports) for a reproducible test; `None` seeds
    /// from the OS, which a stack on a real network must.
    pub seed: Option<u64>,
}

impl AsyncStackConfig {
    /// A configuration with one address, a locally administered MAC and OS seeding.
    ///
    /// ```
    /// use zerocast_tokio::stack::AsyncStackConfig;
    /// let config = AsyncStackConfig::with_address("10.0.0.2".parse().unwrap(), 24);
    /// assert_eq!(config.addresses.len(), 1);
    /// assert_eq!(config.mac[0] & 0x03, 0x02);
    /// ```
    #[must_use]
    pub fn with_address(addr: IpAddr, prefix_len: u8) -> AsyncStackConfig {
        AsyncStackConfig {
            stack: StackConfig::default(),
            mac: [0x02, 0x7a, 0x63, 0x00, 0x00, 0x01],
            addresses: vec![(addr, prefix_len)],
            gateways: Vec::new(),
            seed: None,
        }
    }
}

/// Counts of what the driver did, for tests and diagnostics.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct DriverStats {
    /// Times the driver woke up (each wait that ended, for whatever reason).
    pub wakeups: u64,
    /// Frames read from the link and fed to the core.
    pub frames_received: u64,
    /// Rounds of `handle_timers`.
    pub timer_rounds: u64,
    /// Frames the link refused on transmit.
    pub transmit_drops: u64,
    /// GSO frames the stack handed the link whole (TSO on a link with offload).
    pub gso_frames_sent: u64,
    /// Received frames longer than the MTU: TCP segments the kernel coalesced (GRO).
    pub coalesced_received: u64,
}

/// The stack and its bindings, under one lock.
struct State {
    stack: Stack,
    bindings: StackBindings,
}

/// What the driver and the handles share.
struct Shared {
    state: Mutex<State>,
    device_id: DeviceId,
    /// Wakes the driver: an application call armed an earlier deadline, or shutdown.
    nudge: Notify,
    stop: AtomicBool,
    wakeups: AtomicU64,
    frames_received: AtomicU64,
    timer_rounds: AtomicU64,
    coalesced_received: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is consistent between core calls, so a panic in another holder does not
        // make it unusable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A handle to a running stack; clones share it. Sockets are made from it.
#[derive(Clone)]
pub struct AsyncStack {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for AsyncStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncStack")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Why a stack could not be set up.
#[derive(Debug)]
pub enum SetupError {
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
    /// No OS entropy for the generator.
    Entropy(io::Error),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Address { addr, reason } => {
                write!(f, "cannot add address {addr}: {reason}")
            }
            SetupError::Route { gateway, reason } => {
                write!(f, "cannot add a default route via {gateway}: {reason}")
            }
            SetupError::Entropy(e) => write!(f, "no OS entropy for the stack's generator: {e}"),
        }
    }
}

impl std::error::Error for SetupError {}

impl From<SetupError> for io::Error {
    fn from(e: SetupError) -> io::Error {
        match e {
            SetupError::Entropy(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other),
        }
    }
}

impl AsyncStack {
    /// Builds the stack on `link` (device, addresses, routes) and returns its handle and the
    /// driver, which the caller runs (`tokio::spawn(driver.run())`, or inside a `select!`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zerocast_tokio::link::LinkKind;
    /// use zerocast_tokio::memory::MemoryLink;
    /// use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
    /// let (link, _peer) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
    /// let (stack, driver) = AsyncStack::new(link, &AsyncStackConfig::with_address("10.0.0.2".parse()?, 24))?;
    /// let task = tokio::spawn(driver.run());
    /// stack.shutdown();
    /// task.await??;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// See [`SetupError`].
    pub fn new(
        link: impl FrameLink,
        config: &AsyncStackConfig,
    ) -> Result<(AsyncStack, Driver), SetupError> {
        let link: Arc<dyn FrameLink> = Arc::new(link);
        let rng = match config.seed {
            Some(seed) => SmallRng::from_seed(seed),
            None => SmallRng::from_os().map_err(SetupError::Entropy)?,
        };
        let mut bindings = StackBindings::new(Arc::clone(&link), rng);
        let mut stack = Stack::new(config.stack.clone());
        let device_id = match link.kind() {
            LinkKind::Tap => stack.add_ethernet_device(MacAddr(config.mac), link.mtu()),
            LinkKind::Tun => stack.add_pure_ip_device(link.mtu()),
        };
        if link.offload() {
            stack.set_device_offload(device_id, DeviceOffload::tso_64k());
        }
        for &(addr, prefix_len) in &config.addresses {
            stack
                .add_address(&mut bindings, device_id, addr, prefix_len)
                .map_err(|e| SetupError::Address {
                    addr,
                    reason: format!("{e:?}"),
                })?;
        }
        for &gateway in &config.gateways {
            let unspecified = match gateway {
                IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
            };
            stack
                .add_route(unspecified, 0, device_id, Some(gateway))
                .map_err(|e| SetupError::Route {
                    gateway,
                    reason: format!("{e:?}"),
                })?;
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State { stack, bindings }),
            device_id,
            nudge: Notify::new(),
            stop: AtomicBool::new(false),
            wakeups: AtomicU64::new(0),
            frames_received: AtomicU64::new(0),
            timer_rounds: AtomicU64::new(0),
            coalesced_received: AtomicU64::new(0),
        });
        let driver = Driver {
            shared: Arc::clone(&shared),
            link,
        };
        Ok((AsyncStack { shared }, driver))
    }

    /// Like [`AsyncStack::new`], with the driver spawned on the current runtime (it stops
    /// at [`AsyncStack::shutdown`] or when the link fails).
    ///
    /// # Errors
    /// See [`SetupError`].
    ///
    /// # Panics
    /// Outside a tokio runtime (as `tokio::spawn` does).
    pub fn spawn(
        link: impl FrameLink,
        config: &AsyncStackConfig,
    ) -> Result<AsyncStack, SetupError> {
        let (stack, driver) = AsyncStack::new(link, config)?;
        tokio::spawn(driver.run());
        Ok(stack)
    }

    /// The core's id of the link's device.
    #[must_use]
    pub fn device_id(&self) -> DeviceId {
        self.shared.device_id
    }

    /// Runs one core call under the lock (for calls this crate does not wrap), then nudges
    /// the driver if the call armed a deadline earlier than the one it waits for.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*};
    /// # let (link, _peer) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
    /// let stack = AsyncStack::spawn(link, &AsyncStackConfig::with_address("10.0.0.2".parse()?, 24))?;
    /// let routes = stack.with_stack(|s, _| s.routes().len());
    /// assert_eq!(routes, 1, "the on-link prefix");
    /// # Ok(()) }
    /// ```
    pub fn with_stack<R>(&self, f: impl FnOnce(&mut Stack, &mut StackBindings) -> R) -> R {
        let mut state = self.shared.lock();
        let before = state.stack.next_deadline();
        let st = &mut *state;
        let result = f(&mut st.stack, &mut st.bindings);
        let after = state.stack.next_deadline();
        drop(state);
        self.nudge_if_earlier(before, after);
        result
    }

    /// Runs one socket call for a task: its result when it does not block; on
    /// [`SocketError::WouldBlock`] the task's waker is registered for `interest` on
    /// `socket` (under the same lock, so the readiness event cannot be missed) and the poll
    /// is `Pending`. Every async socket type is built on this.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use zerocast_tokio::{link::LinkKind, memory::MemoryLink, stack::*, wakers::Interest};
    /// # let (link, _peer) = MemoryLink::pair(LinkKind::Tun, 1500, 16);
    /// let stack = AsyncStack::spawn(link, &AsyncStackConfig::with_address("10.0.0.2".parse()?, 24))?;
    /// let id = stack.with_stack(|s, bc| {
    ///     let id = s.udp_open()?;
    ///     s.udp_bind(bc, id, "0.0.0.0:9".parse().unwrap()).map(|_| id)
    /// })?;
    /// let mut buf = [0u8; 8];
    /// let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// let poll = stack.poll_socket(&mut cx, id, Interest::Read, |s, _| s.udp_recv_from(id, &mut buf));
    /// assert!(poll.is_pending(), "nothing received yet");
    /// # Ok(()) }
    /// ```
    pub fn poll_socket<T>(
        &self,
        cx: &mut Context<'_>,
        socket: SocketId,
        interest: Interest,
        call: impl FnOnce(&mut Stack, &mut StackBindings) -> Result<T, SocketError>,
    ) -> Poll<Result<T, SocketError>> {
        let mut state = self.shared.lock();
        let before = state.stack.next_deadline();
        let st = &mut *state;
        let result = call(&mut st.stack, &mut st.bindings);
        if matches!(result, Err(SocketError::WouldBlock)) {
            st.bindings.wakers.register(socket, interest, cx.waker());
        }
        let after = state.stack.next_deadline();
        drop(state);
        self.nudge_if_earlier(before, after);
        match result {
            Err(SocketError::WouldBlock) => Poll::Pending,
            other => Poll::Ready(other),
        }
    }

    /// Closes a socket's waiting: wakes and forgets its wakers (called when a socket type
    /// closes its core socket).
    pub(crate) fn forget_socket(&self, socket: SocketId) {
        self.shared.lock().bindings.wakers.forget(socket);
    }

    fn nudge_if_earlier(
        &self,
        before: Option<zerocast_stack::time::Instant>,
        after: Option<zerocast_stack::time::Instant>,
    ) {
        let earlier = match (before, after) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(before), Some(after)) => after < before,
        };
        if earlier {
            self.shared.nudge.notify_one();
        }
    }

    /// What the driver has done so far.
    #[must_use]
    pub fn stats(&self) -> DriverStats {
        let (transmit_drops, gso_frames_sent) = {
            let state = self.shared.lock();
            (
                state.bindings.transmit_drops,
                state.bindings.gso_frames_sent,
            )
        };
        DriverStats {
            wakeups: self.shared.wakeups.load(Ordering::Relaxed),
            frames_received: self.shared.frames_received.load(Ordering::Relaxed),
            timer_rounds: self.shared.timer_rounds.load(Ordering::Relaxed),
            transmit_drops,
            gso_frames_sent,
            coalesced_received: self.shared.coalesced_received.load(Ordering::Relaxed),
        }
    }

    /// Stops the driver at its next wake-up (which this call causes). Sockets then no longer
    /// receive; their calls still reach the core.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.nudge.notify_one();
    }
}

/// The task that runs the stack: see the [module docs](self).
pub struct Driver {
    shared: Arc<Shared>,
    link: Arc<dyn FrameLink>,
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver").finish_non_exhaustive()
    }
}

impl Driver {
    /// Runs the stack until [`AsyncStack::shutdown`].
    ///
    /// # Errors
    /// The link's read error (the interface was deleted, ...), which ends the driver.
    pub async fn run(self) -> io::Result<()> {
        let mut burst = BurstBuffer::new(frame_capacity(&*self.link), RECEIVE_BATCH);
        let mtu = usize::try_from(self.link.mtu()).unwrap_or(usize::MAX);
        let link_header = match self.link.kind() {
            LinkKind::Tun => 0,
            // Ethernet and two VLAN tags: only a coalesced frame is longer.
            LinkKind::Tap => 22,
        };
        loop {
            if self.shared.stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            let deadline = {
                let state = self.shared.lock();
                state
                    .stack
                    .next_deadline()
                    .and_then(|at| state.bindings.tokio_instant(at))
            };
            let timer = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let received = tokio::select! {
                biased;
                () = self.shared.nudge.notified() => None,
                frame = poll_fn(|cx| self.link.poll_recv(cx, burst.start())) => Some(frame?),
                () = timer => None,
            };
            self.shared.wakeups.fetch_add(1, Ordering::Relaxed);
            if let Some(len) = received {
                burst.commit(len);
                self.drain_waiting(&mut burst)?;
            }
            let mut state = self.shared.lock();
            if !burst.is_empty() {
                if self.link.offload() {
                    let coalesced = burst
                        .frames()
                        .filter(|f| f.len() > mtu.saturating_add(link_header))
                        .count() as u64;
                    self.shared
                        .coalesced_received
                        .fetch_add(coalesced, Ordering::Relaxed);
                }
                let st = &mut *state;
                st.stack
                    .receive_burst(&mut st.bindings, self.shared.device_id, burst.frames_mut());
                let fed = burst.len() as u64;
                self.shared
                    .frames_received
                    .fetch_add(fed, Ordering::Relaxed);
                burst.clear();
            }
            let now = zerocast_stack::context::Clock::now(&state.bindings);
            if state.stack.next_deadline().is_some_and(|at| at <= now) {
                let st = &mut *state;
                st.stack.handle_timers(&mut st.bindings);
                self.shared.timer_rounds.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Adds every frame already waiting on the link to `burst`, up to [`RECEIVE_BATCH`]
    /// frames (and the burst's room), without sleeping: the burst then goes to the core as
    /// one `receive_burst`, which acknowledges its TCP data together.
    fn drain_waiting(&self, burst: &mut BurstBuffer) -> io::Result<()> {
        let mut cx = Context::from_waker(Waker::noop());
        while let Some(slot) = burst.next_slot() {
            match self.link.poll_recv(&mut cx, slot) {
                Poll::Ready(Ok(len)) => burst.commit(len),
                Poll::Ready(Err(e)) => return Err(e),
                Poll::Pending => break,
            }
        }
        Ok(())
    }
}
