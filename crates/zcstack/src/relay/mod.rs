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
//!
//! Everything runs on one tokio thread: the stack's driver task and one task per
//! connection and per UDP flow.

pub mod copy;
pub mod signals;
pub mod socks5;
pub mod stats;
pub mod tcp;
pub mod udp;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use zerocast_socks5::Credentials;
use zerocast_stack::context::SocketId;
use zerocast_stack::StackConfig;
use zerocast_tokio::link::LinkKind;
use zerocast_tokio::stack::{AsyncStack, AsyncStackConfig};
use zerocast_tokio::tcp::TcpListener;
use zerocast_tokio::tun::TunLink;
use zerocast_tokio::udp::UdpSocket;

use crate::cli::RelayArgs;
use crate::serve::ServeError;
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

/// What every relay task shares.
#[derive(Debug)]
pub struct RelayContext {
    /// Where traffic leaves.
    pub outbound: Outbound,
    /// Counters and live flows.
    pub stats: Arc<Stats>,
    /// The stack sockets of the TCP connections being relayed (reset all on exit).
    pub live_tcp: Mutex<HashSet<SocketId>>,
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
        stats: Arc::default(),
        live_tcp: Mutex::default(),
        connect_timeout: Duration::from_secs(args.connect_timeout),
        tcp_idle: Duration::from_secs(args.tcp_idle_timeout),
        udp_idle: Duration::from_secs(args.udp_idle_timeout),
        max_udp_flows: args.max_udp_flows,
        verbose: args.verbose,
    })
}

/// Runs `zcstack relay` until SIGTERM/SIGINT (which exit the process) or the TUN fails.
///
/// # Errors
/// The TUN cannot be opened, an address is refused, the runtime cannot start, or the
/// interface went away.
pub fn run(args: &RelayArgs) -> Result<(), ServeError> {
    let ctx = Arc::new(context(args)?);
    signals::block().map_err(ServeError::Io)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(serve(args, ctx))
}

async fn serve(args: &RelayArgs, ctx: Arc<RelayContext>) -> Result<(), ServeError> {
    let link = TunLink::open(&args.tun, LinkKind::Tun, args.mtu)
        .map_err(|e| ServeError::Client(e.to_string()))?;
    let mut stack_config = StackConfig::default();
    // Every relayed connection holds one stack socket; leave room for the listener and
    // the UDP socket.
    stack_config.max_sockets = stack_config
        .max_sockets
        .max(args.max_connections as usize + 16);
    let config = AsyncStackConfig {
        stack: stack_config,
        addresses: args.addr.iter().map(|c| (c.addr, c.prefix_len)).collect(),
        ..AsyncStackConfig::with_address(args.addr[0].addr, args.addr[0].prefix_len)
    };
    let (stack, driver) =
        AsyncStack::new(link, &config).map_err(|e| ServeError::Client(e.to_string()))?;
    stack.with_stack(|s, _| s.set_accept_any_destination(stack.device_id(), true));
    let driver = tokio::spawn(driver.run());
    let listener = TcpListener::bind_transparent(&stack, 1024).map_err(ServeError::Io)?;
    let transparent = Arc::new(UdpSocket::bind_transparent(&stack).map_err(ServeError::Io)?);

    let usr1_stats = Arc::clone(&ctx.stats);
    let stop_ctx = Arc::clone(&ctx);
    let stop_stack = stack.clone();
    signals::handle(
        move || eprint!("zcstack relay: {}", usr1_stats.summary()),
        move |signal| {
            let ids: Vec<SocketId> = stop_ctx
                .live_tcp
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .copied()
                .collect();
            let reset = stop_stack.with_stack(|s, bc| {
                ids.iter()
                    .filter(|&&id| s.tcp_abort(bc, id).is_ok())
                    .count()
            });
            eprint!(
                "zcstack relay: {signal}: reset {reset} connections; {}",
                stop_ctx.stats.summary()
            );
        },
    );
    eprintln!(
        "zcstack relay: ready on {} ({}), {}",
        args.tun,
        args.addr
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        match &ctx.outbound {
            Outbound::Direct => "direct".to_owned(),
            Outbound::Socks5(p) => format!("through SOCKS5 {}", p.addr),
        }
    );
    tokio::spawn(udp::run(Arc::clone(&ctx), transparent));
    let limit = Arc::new(Semaphore::new(args.max_connections as usize));
    let accept_loop = async {
        loop {
            let (client, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => return e,
            };
            match Arc::clone(&limit).try_acquire_owned() {
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
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
