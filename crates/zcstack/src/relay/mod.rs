//! `zcstack relay`: a tun2socks-style relay on zerocast-stack.
//!
//! A TUN that a namespace's (or a machine's) routes point at carries packets to arbitrary
//! destinations. The relay's stack accepts them all (`set_accept_any_destination` on the
//! TUN), terminates every TCP connection with its transparent listener and every UDP flow
//! with its transparent socket, and sends the payload out through ordinary host sockets to
//! the original destination ([`Outbound::Direct`]) or through a SOCKS5 proxy
//! ([`Outbound::Socks5`], RFC 1928 CONNECT and UDP ASSOCIATE, RFC 1929 login).
//!
//! - [`tcp`]: one connection: connect out, map failures to a RST, relay.
//! - [`copy`]: both directions with bounded buffers, half-close, idle timeout.
//! - [`udp`]: flows by (source, destination), each with a host socket and an idle timer.
//! - [`socks5`]: the SOCKS5 handshake over tokio.
//! - [`stats`]: counters and live flows, printed on SIGUSR1 and on exit ([`signals`]).
//! - [`shard`]: with `--threads N`, one shard's queue of a multi-queue TUN and the frames
//!   the other shards steer to it.
//!
//! Each shard runs on its own thread with a current-thread tokio runtime: its stack's
//! driver task, its listener and UDP socket, and one task per connection and per UDP flow,
//! whose host sockets belong to that runtime. A flow lives on one shard from its first
//! packet to its last. The shards share the counters and flow table ([`Stats`]), the
//! connection limit (one semaphore) and the UDP flow limit (one count); SIGTERM resets the
//! relayed connections of every shard.

pub mod copy;
pub mod shard;
pub mod signals;
pub mod socks5;
pub mod stats;
pub mod tcp;
pub mod udp;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc as std_mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::sync::Semaphore;
use zerocast_socks5::Credentials;
use zerocast_stack::context::SocketId;
use zerocast_stack::StackConfig;
use zerocast_tap::async_device::AsyncTapDevice;
use zerocast_tap::device::TapDevice;
use zerocast_tokio::link::LinkKind;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::tcp::TcpListener;
use zerocast_tokio::udp::UdpSocket;

use crate::cli::RelayArgs;
use crate::serve::ServeError;
use shard::{ShardLink, SteeringChannels};
use socks5::Proxy;
use stats::Stats;

/// Where relayed traffic leaves.
#[derive(Clone, Debug)]
pub enum Outbound {
    /// Host sockets straight to the original destination.
    Direct,
    /// Through this SOCKS5 proxy.
    Socks5(Proxy),
}

/// What every relay task of one shard shares (the counters and limits are shared by all
/// shards).
#[derive(Debug)]
pub struct RelayContext {
    /// Where traffic leaves.
    pub outbound: Outbound,
    /// Counters and live flows (all shards).
    pub stats: Arc<Stats>,
    /// This shard's index (0 with one thread).
    pub shard: usize,
    /// The stack sockets of this shard's TCP connections being relayed (reset all on exit).
    pub live_tcp: Mutex<HashSet<SocketId>>,
    /// UDP flows live on all shards (checked against `max_udp_flows`).
    pub udp_live: Arc<AtomicUsize>,
    /// How long connecting out may take.
    pub connect_timeout: Duration,
    /// A TCP connection with no bytes either way for this long is reset.
    pub tcp_idle: Duration,
    /// A UDP flow with no datagram either way for this long ends.
    pub udp_idle: Duration,
    /// The most UDP flows at once (datagrams of further flows are dropped).
    pub max_udp_flows: usize,
    /// Log every failed connection.
    pub verbose: bool,
}

/// Turns the arguments into the relay's context.
///
/// ```
/// use clap::Parser;
/// use zcstack::cli::{Cli, Command};
/// use zcstack::relay::{context, Outbound};
/// let cli = Cli::try_parse_from(["zcstack", "relay", "--tun", "zc0", "--addr", "10.7.0.2/24",
///     "--socks5", "127.0.0.1:1080", "--socks5-user", "u", "--socks5-pass", "p"])?;
/// let Command::Relay(args) = cli.command else { unreachable!() };
/// let ctx = context(&args)?;
/// assert!(matches!(ctx.outbound, Outbound::Socks5(ref p) if p.credentials.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A username or password longer than RFC 1929 allows (255 bytes).
pub fn context(args: &RelayArgs) -> Result<RelayContext, ServeError> {
    let outbound = match args.socks5 {
        None => Outbound::Direct,
        Some(addr) => {
            let credentials = match (&args.socks5_user, &args.socks5_pass) {
                (Some(u), Some(p)) => {
                    Some(Credentials::new(u.as_bytes(), p.as_bytes()).map_err(|e| {
                        ServeError::Client(format!("--socks5-user/--socks5-pass: {e}"))
                    })?)
                }
                _ => None,
            };
            Outbound::Socks5(Proxy { addr, credentials })
        }
    };
    Ok(RelayContext {
        outbound,
        stats: Arc::new(Stats::with_shards(usize::from(args.threads))),
        shard: 0,
        live_tcp: Mutex::default(),
        udp_live: Arc::default(),
        connect_timeout: Duration::from_secs(args.connect_timeout),
        tcp_idle: Duration::from_secs(args.tcp_idle_timeout),
        udp_idle: Duration::from_secs(args.udp_idle_timeout),
        max_udp_flows: args.max_udp_flows,
        verbose: args.verbose,
    })
}

impl RelayContext {
    /// The context of shard `index`: the same outbound, settings, counters and limits,
    /// its own set of live connections (socket ids are per stack).
    ///
    /// ```
    /// use clap::Parser;
    /// use zcstack::cli::{Cli, Command};
    /// let cli = Cli::try_parse_from(["zcstack", "relay", "--tun", "zc0", "--addr", "10.7.0.2/24",
    ///     "--direct", "--threads", "2"])?;
    /// let Command::Relay(args) = cli.command else { unreachable!() };
    /// let first = zcstack::relay::context(&args)?;
    /// let second = first.for_shard(1);
    /// assert_eq!(second.shard, 1);
    /// assert!(std::sync::Arc::ptr_eq(&first.stats, &second.stats));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn for_shard(&self, index: usize) -> RelayContext {
        RelayContext {
            outbound: self.outbound.clone(),
            stats: Arc::clone(&self.stats),
            shard: index,
            live_tcp: Mutex::default(),
            udp_live: Arc::clone(&self.udp_live),
            connect_timeout: self.connect_timeout,
            tcp_idle: self.tcp_idle,
            udp_idle: self.udp_idle,
            max_udp_flows: self.max_udp_flows,
            verbose: self.verbose,
        }
    }
}

/// A running shard's stack and context (what SIGTERM needs to reset its connections).
type ShardHandle = (AsyncStack, Arc<RelayContext>);

/// What a shard's thread tells the main thread.
enum ShardEvent {
    /// The shard's stack, listener and UDP socket are up.
    Ready,
    /// The shard ended (its queue failed, or it could not start).
    Ended(usize, Result<(), ServeError>),
}

/// What a shard's thread needs besides its queue and context.
struct ShardSetup {
    addresses: Vec<(IpAddr, u8)>,
    max_connections: usize,
    limit: Arc<Semaphore>,
    peers: Vec<mpsc::Sender<Vec<u8>>>,
    registry: Arc<Mutex<Vec<ShardHandle>>>,
    events: std_mpsc::Sender<ShardEvent>,
}

/// Runs `zcstack relay` until SIGTERM/SIGINT (which exit the process) or a shard fails.
///
/// # Errors
/// The TUN cannot be opened, an address is refused, a runtime cannot start, or the
/// interface went away.
pub fn run(args: &RelayArgs) -> Result<(), ServeError> {
    let base = context(args)?;
    let threads = usize::from(args.threads.max(1));
    signals::block().map_err(ServeError::Io)?;
    let want_offload = args.offload_enabled();
    let opened = match (threads, want_offload) {
        (1, false) => TapDevice::open(&args.tun, LinkKind::Tun, args.mtu).map(|d| vec![d]),
        (1, true) => TapDevice::open_offload(&args.tun, LinkKind::Tun, args.mtu).map(|d| vec![d]),
        (_, false) => TapDevice::open_queues(&args.tun, LinkKind::Tun, args.mtu, threads),
        (_, true) => TapDevice::open_queues_offload(&args.tun, LinkKind::Tun, args.mtu, threads),
    };
    let queues = opened.map_err(|e| ServeError::Client(e.to_string()))?;
    let offload = queues.first().is_some_and(TapDevice::offload);
    if want_offload && !offload {
        eprintln!(
            "zcstack relay: the kernel refused offload on {}: plain frames",
            args.tun
        );
    }
    let channels = SteeringChannels::new(threads);
    let limit = Arc::new(Semaphore::new(args.max_connections as usize));
    let registry: Arc<Mutex<Vec<ShardHandle>>> = Arc::default();
    let (events, shard_events) = std_mpsc::channel();
    for (index, (queue, steered_in)) in queues.into_iter().zip(channels.receivers).enumerate() {
        let ctx = Arc::new(base.for_shard(index));
        let setup = ShardSetup {
            addresses: args.addr.iter().map(|c| (c.addr, c.prefix_len)).collect(),
            max_connections: args.max_connections as usize,
            limit: Arc::clone(&limit),
            peers: channels.senders.clone(),
            registry: Arc::clone(&registry),
            events: events.clone(),
        };
        std::thread::Builder::new()
            .name(format!("relay-shard-{index}"))
            .spawn(move || {
                let ended = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(ServeError::Io)
                    .and_then(|runtime| {
                        runtime.block_on(serve_shard(queue, steered_in, ctx, &setup))
                    });
                let _ = setup.events.send(ShardEvent::Ended(index, ended));
            })
            .map_err(ServeError::Io)?;
    }
    drop(events);
    let mut ready = 0;
    while ready < threads {
        match shard_events.recv() {
            Ok(ShardEvent::Ready) => ready += 1,
            Ok(ShardEvent::Ended(index, ended)) => return shard_ended(index, ended),
            Err(_) => return Err(ServeError::Client("every relay shard ended".into())),
        }
    }
    handle_signals(&base.stats, registry);
    eprintln!(
        "zcstack relay: ready on {} ({}), {}{}{}",
        args.tun,
        args.addr
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        match &base.outbound {
            Outbound::Direct => "direct".to_owned(),
            Outbound::Socks5(p) => format!("through SOCKS5 {}", p.addr),
        },
        if threads > 1 {
            format!(", {threads} shards")
        } else {
            String::new()
        },
        if offload { ", offload" } else { "" }
    );
    match shard_events.recv() {
        Ok(ShardEvent::Ended(index, ended)) => shard_ended(index, ended),
        Ok(ShardEvent::Ready) | Err(_) => Err(ServeError::Client("every relay shard ended".into())),
    }
}

/// A shard ended: the relay ends with it (a shard's flows cannot move to another).
fn shard_ended(index: usize, ended: Result<(), ServeError>) -> Result<(), ServeError> {
    ended.map_err(|e| ServeError::Client(format!("relay shard {index}: {e}")))
}

/// One line per shard of what its stack's driver did: how many frames each wake-up fed
/// the core (the receive batching), and frames the TUN refused.
fn driver_lines(shards: &[ShardHandle]) -> String {
    // In shard order, whatever order the shards registered in (the first ready registers
    // first), so a reader can stop at the last shard's line.
    let mut ordered: Vec<&ShardHandle> = shards.iter().collect();
    ordered.sort_by_key(|(_, ctx)| ctx.shard);
    ordered
        .into_iter()
        .map(|(stack, ctx)| {
            let d = stack.stats();
            #[allow(clippy::cast_precision_loss)] // a ratio for people to read
            let per_wakeup = d.frames_received as f64 / d.wakeups.max(1) as f64;
            format!(
                "  shard {} driver: {} wake-ups, {} frames received ({per_wakeup:.1} per \
                 wake-up, {} coalesced), {} GSO frames sent, {} transmit drops\n",
                ctx.shard,
                d.wakeups,
                d.frames_received,
                d.coalesced_received,
                d.gso_frames_sent,
                d.transmit_drops
            )
        })
        .collect()
}

/// SIGUSR1 prints the summary; SIGTERM/SIGINT reset every shard's relayed connections.
fn handle_signals(stats: &Arc<Stats>, registry: Arc<Mutex<Vec<ShardHandle>>>) {
    let usr1_stats = Arc::clone(stats);
    let stop_stats = Arc::clone(stats);
    let usr1_registry = Arc::clone(&registry);
    signals::handle(
        move || {
            let shards = usr1_registry.lock().unwrap_or_else(|p| p.into_inner());
            eprint!(
                "zcstack relay: {}{}",
                usr1_stats.summary(),
                driver_lines(&shards)
            );
        },
        move |signal| {
            let shards = registry.lock().unwrap_or_else(|p| p.into_inner());
            let mut reset = 0;
            for (stack, ctx) in shards.iter() {
                let ids: Vec<SocketId> = ctx
                    .live_tcp
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .iter()
                    .copied()
                    .collect();
                reset += stack.with_stack(|s, bc| {
                    ids.iter()
                        .filter(|&&id| s.tcp_abort(bc, id).is_ok())
                        .count()
                });
            }
            eprint!(
                "zcstack relay: {signal}: reset {reset} connections; {}",
                stop_stats.summary()
            );
        },
    );
}

/// One shard: its stack on `queue` (plus what other shards steer to it), its listener and
/// UDP socket, until its queue fails.
async fn serve_shard(
    queue: TapDevice,
    steered_in: mpsc::Receiver<Vec<u8>>,
    ctx: Arc<RelayContext>,
    setup: &ShardSetup,
) -> Result<(), ServeError> {
    let device = AsyncTapDevice::new(queue).map_err(ServeError::Io)?;
    let link = ShardLink::new(
        shard::QueueLink(device),
        ctx.shard,
        steered_in,
        setup.peers.clone(),
        Arc::clone(&ctx.stats),
    );
    let mut stack_config = StackConfig::default();
    // Every relayed connection holds one stack socket; leave room for the listener and
    // the UDP socket.
    stack_config.max_sockets = stack_config.max_sockets.max(setup.max_connections + 16);
    let (first, first_len) = setup.addresses[0];
    let config = AsyncStackConfig {
        stack: stack_config,
        addresses: setup.addresses.clone(),
        ..AsyncStackConfig::with_address(first, first_len)
    };
    let (stack, driver) =
        AsyncStack::new(link, &config).map_err(|e| ServeError::Client(e.to_string()))?;
    stack.with_stack(|s, _| s.set_accept_any_destination(stack.device_id(), true));
    let driver = tokio::spawn(driver.run());
    let listener = TcpListener::bind_transparent(&stack, 1024).map_err(ServeError::Io)?;
    let transparent = Arc::new(UdpSocket::bind_transparent(&stack).map_err(ServeError::Io)?);
    setup
        .registry
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((stack.clone(), Arc::clone(&ctx)));
    let _ = setup.events.send(ShardEvent::Ready);
    tokio::spawn(udp::run(Arc::clone(&ctx), transparent));
    let accept_loop = async {
        loop {
            let (client, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => return e,
            };
            match Arc::clone(&setup.limit).try_acquire_owned() {
                Ok(permit) => {
                    let ctx = Arc::clone(&ctx);
                    tokio::spawn(async move {
                        tcp::relay_connection(ctx, client, peer).await;
                        drop(permit);
                    });
                }
                Err(_) => {
                    ctx.stats
                        .counters
                        .tcp_over_limit
                        .fetch_add(1, Ordering::Relaxed);
                    client.abort();
                }
            }
        }
    };
    tokio::select! {
        e = accept_loop => Err(ServeError::Io(e)),
        ended = driver => match ended {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(ServeError::Io(e)),
            Err(e) => Err(ServeError::Client(format!("the stack's driver failed: {e}"))),
        },
    }
}

/// The socket address syntax `--socks5` takes.
///
/// ```
/// assert!(zcstack::relay::parse_proxy("127.0.0.1:1080").is_ok());
/// assert!(zcstack::relay::parse_proxy("[::1]:1080").is_ok());
/// assert!(zcstack::relay::parse_proxy("proxy:1080").is_err());
/// ```
///
/// # Errors
/// Not `IP:PORT` (no DNS: the relay must not depend on a resolver it may be relaying).
pub fn parse_proxy(s: &str) -> Result<SocketAddr, String> {
    s.parse()
        .map_err(|_| format!("{s:?} is not IP:PORT (IPv6 as [IP]:PORT; no host names)"))
}
