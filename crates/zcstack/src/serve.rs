//! `zcstack serve`: the stack on one interface, with its services, until killed.
//!
//! Everything is answered on the stack's own thread, from a hook of the poll loop, with the
//! core's sans-IO socket calls: a UDP echo or a TCP segment costs no thread switch.
//! - UDP echo: one dual-stack socket per port, drained at every turn of the loop.
//! - TCP echo and HTTP: [`TcpServices`], driven by the sockets the core reported ready.
//!
//! Applications that prefer blocking calls use `zerocast_tap::udp::UdpSocket` and
//! `zerocast_tap::tcp::{TcpListener, TcpStream}` instead.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};

use zerocast_stack::context::SocketId;
use zerocast_stack::{SocketError, Stack};
use zerocast_tap::device::LinkKind;
use zerocast_tap::fault::FaultConfig;
use zerocast_tap::host::HostBindings;
use zerocast_tap::netstack::{NetStack, NetStackConfig, StartError};
use zerocast_tap::udp::io_error;

use crate::cli::{LinkArgs, Mac, ServeArgs};
use crate::tcp_service::{ListenError, Service, TcpServices};

/// Why `serve` (or a client mode) stopped.
#[derive(Debug)]
pub enum ServeError {
    /// A flag asks for something not built yet.
    NotYet(&'static str),
    /// The stack could not start.
    Start(StartError),
    /// A service port was taken.
    PortInUse {
        /// The protocol ("UDP", "TCP").
        protocol: &'static str,
        /// The port.
        port: u16,
    },
    /// Anything else (the interface vanished, ...).
    Io(std::io::Error),
    /// A client mode failed (refused, timed out, bad response); the message says how.
    Client(String),
}

impl ServeError {
    /// The process exit status for this error.
    ///
    /// ```
    /// use zcstack::serve::ServeError;
    /// assert_eq!(ServeError::NotYet("--foo is not built yet").exit_status(), 2);
    /// assert_eq!(ServeError::Client("connection refused".into()).exit_status(), 1);
    /// ```
    #[must_use]
    pub fn exit_status(&self) -> i32 {
        match self {
            ServeError::NotYet(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NotYet(what) => f.write_str(what),
            ServeError::Start(e) => e.fmt(f),
            ServeError::PortInUse { protocol, port } => {
                write!(f, "{protocol} port {port} is in use (given twice?)")
            }
            ServeError::Io(e) => e.fmt(f),
            ServeError::Client(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ServeError {}

/// The binding's configuration for `args`.
///
/// ```
/// use clap::Parser;
/// use zcstack::cli::{Cli, Command};
/// let Command::Serve(args) = Cli::try_parse_from([
///     "zcstack", "serve", "--tap", "zc0", "--tun", "--addr", "10.0.0.2/24", "--drop", "0.5",
/// ])?.command else { unreachable!() };
/// let config = zcstack::serve::config(&args.link);
/// assert_eq!(config.kind, zerocast_tap::device::LinkKind::Tun);
/// assert_eq!(config.faults.drop, 0.5);
/// # Ok::<(), clap::Error>(())
/// ```
#[must_use]
pub fn config(args: &LinkArgs) -> NetStackConfig {
    let kind = if args.tun {
        LinkKind::Tun
    } else {
        LinkKind::Tap
    };
    let mut config = NetStackConfig::new(&args.tap, kind);
    if let Some(Mac(mac)) = args.mac {
        config.mac = mac;
    }
    config.mtu = args.mtu;
    config.addresses = args.addr.iter().map(|c| (c.addr, c.prefix_len)).collect();
    config.gateways.clone_from(&args.gateway);
    config.pcap.clone_from(&args.pcap);
    config.offload = args.offload;
    config.faults = FaultConfig {
        drop: args.drop,
        reorder: args.reorder,
        seed: args.seed,
    };
    config
}

/// What the loop's hook serves, set once the sockets exist.
struct Services {
    udp_echo: Vec<SocketId>,
    tcp: Mutex<TcpServices>,
}

/// Runs `zcstack serve` until the stack stops (it runs until the process is killed).
///
/// # Errors
/// See [`ServeError`].
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let config = config(&args.link);
    crate::signals::block_termination().map_err(ServeError::Io)?;
    let services: Arc<OnceLock<Services>> = Arc::new(OnceLock::new());
    let hook_services = Arc::clone(&services);
    let mut buf = vec![0u8; 65_536];
    let mut ready = Vec::new();
    let stack = NetStack::start_with_hook(&config, move |stack, bindings| {
        // Until the sockets are set up, events wait in the list (nothing is lost).
        let Some(services) = hook_services.get() else {
            return;
        };
        for &socket in &services.udp_echo {
            echo_queued_datagrams(stack, bindings, socket, &mut buf);
        }
        // New events may arrive while serving (an accept reports the new socket): repeat
        // until the list stays empty, bounded so one turn cannot run forever.
        for _ in 0..64 {
            if let Some(list) = &mut bindings.ready_sockets {
                std::mem::swap(list, &mut ready);
            }
            if ready.is_empty() {
                break;
            }
            ready.sort_unstable();
            ready.dedup();
            let mut tcp = services.tcp.lock().unwrap_or_else(|p| p.into_inner());
            tcp.on_ready(stack, bindings, &ready);
            ready.clear();
        }
    })
    .map_err(ServeError::Start)?;
    let udp_echo = open_udp_echo(&stack, &args.udp_echo, &args.join)?;
    for join in &args.join_source {
        let device = stack.device_id();
        stack
            .with_stack(|s, bc| {
                s.set_multicast_source_filter(
                    bc,
                    device,
                    join.group,
                    zerocast_stack::membership::FilterMode::Include,
                    &join.sources,
                )
            })
            .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))?;
    }
    let mut tcp_ports: Vec<(u16, Service)> =
        args.tcp_echo.iter().map(|&p| (p, Service::Echo)).collect();
    tcp_ports.extend(args.http.map(|p| (p, Service::Http)));
    let tcp = stack
        .with_stack(|s, bc| {
            bc.ready_sockets = Some(Vec::new());
            TcpServices::open(s, bc, &tcp_ports)
        })
        .map_err(|ListenError { port, error }| match error {
            SocketError::AddressInUse => ServeError::PortInUse {
                protocol: "TCP",
                port,
            },
            other => ServeError::Io(io_error(other)),
        })?;
    let _ = services.set(Services {
        udp_echo,
        tcp: Mutex::new(tcp),
    });
    // Wake the loop so events that came before the services were set are served now.
    let _ = stack.device().wake();
    let (signal_stack, signal_services) = (stack.clone(), Arc::clone(&services));
    crate::signals::on_termination(move |signal| {
        let reset = signal_stack.with_stack(|s, bc| {
            signal_services.get().map_or(0, |services| {
                let mut tcp = services.tcp.lock().unwrap_or_else(|p| p.into_inner());
                tcp.abort_all(s, bc)
            })
        });
        let _ = signal_stack.shutdown();
        eprintln!("zcstack: {signal}: reset {reset} connections, stopped");
    });
    eprintln!(
        "zcstack: ready on {}{}",
        describe(&stack, &config, &args.link),
        {
            let mut what = String::new();
            if !args.udp_echo.is_empty() {
                what += &format!(", udp echo on {:?}", args.udp_echo);
            }
            if !args.tcp_echo.is_empty() {
                what += &format!(", tcp echo on {:?}", args.tcp_echo);
            }
            if let Some(port) = args.http {
                what += &format!(", http on {port}");
            }
            what
        }
    );
    stack.wait().map_err(ServeError::Io)
}

/// "tap zc0 mac ... mtu 1500, addresses ..." for the ready line.
pub(crate) fn describe(stack: &NetStack, config: &NetStackConfig, link: &LinkArgs) -> String {
    let device = stack.device();
    let mac = match config.kind {
        LinkKind::Tap => format!(" mac {}", Mac(config.mac)),
        LinkKind::Tun => String::new(),
    };
    let addrs: Vec<String> = link.addr.iter().map(ToString::to_string).collect();
    format!(
        "{} {}{mac} mtu {}, addresses {}",
        config.kind.mode_name(),
        device.name(),
        device.mtu(),
        addrs.join(" ")
    )
}

/// Opens one dual-stack UDP socket per echo port (`[::]` receives IPv4 too: the core's
/// sockets behave as Linux's with IPV6_V6ONLY off), joined to `groups`.
fn open_udp_echo(
    stack: &NetStack,
    ports: &[u16],
    groups: &[IpAddr],
) -> Result<Vec<SocketId>, ServeError> {
    let device = stack.device_id();
    let mut sockets = Vec::new();
    for &port in ports {
        let local = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port);
        let socket = stack.with_stack(|s, bc| -> Result<SocketId, ServeError> {
            let id = s.udp_open().map_err(|e| ServeError::Io(io_error(e)))?;
            s.udp_bind(bc, id, local).map_err(|e| match e {
                SocketError::AddressInUse => ServeError::PortInUse {
                    protocol: "UDP",
                    port,
                },
                other => ServeError::Io(io_error(other)),
            })?;
            for &group in groups {
                s.udp_join_multicast(bc, id, group, device)
                    .map_err(|e| ServeError::Io(io_error(e)))?;
            }
            Ok(id)
        })?;
        sockets.push(socket);
    }
    Ok(sockets)
}

/// Answers every datagram queued on `socket` with the same bytes, to its sender. Runs on
/// the stack's thread after each batch of frames, so an echo costs no thread switch. A
/// failed echo (no route back) is the peer's problem, not the service's.
fn echo_queued_datagrams(
    stack: &mut Stack,
    bindings: &mut HostBindings,
    socket: SocketId,
    buf: &mut [u8],
) {
    while let Ok((len, peer)) = stack.udp_recv_from(socket, buf) {
        let _ = stack.udp_send_to(bindings, socket, &buf[..len], peer);
    }
    // An ICMP error one of our echoes provoked is of no use to an echo service.
    let _ = stack.udp_take_error(socket);
}
