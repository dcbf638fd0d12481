//! `zcstack serve`: the stack on one interface, with UDP echo services, until killed.
//!
//! Each echo port is one dual-stack socket answered on the stack's own thread, from a hook of
//! the poll loop, with the core's sans-IO socket calls: an echo costs no thread switch
//! (applications that prefer blocking calls use `zerocast_tap::udp::UdpSocket`). TCP echo
//! and HTTP wait for TCP (issue 12) and are refused with that message.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};

use zerocast_stack::context::SocketId;
use zerocast_stack::{SocketError, Stack};
use zerocast_tap::device::LinkKind;
use zerocast_tap::fault::FaultConfig;
use zerocast_tap::host::HostBindings;
use zerocast_tap::netstack::{NetStack, NetStackConfig, StartError};
use zerocast_tap::udp::io_error;

use crate::cli::{Mac, ServeArgs};

/// Why `serve` stopped.
#[derive(Debug)]
pub enum ServeError {
    /// A flag asks for something not built yet.
    NotYet(&'static str),
    /// The stack could not start.
    Start(StartError),
    /// A service port was taken.
    PortInUse {
        /// The protocol ("UDP").
        protocol: &'static str,
        /// The port.
        port: u16,
    },
    /// Anything else (the interface vanished, ...).
    Io(std::io::Error),
}

impl ServeError {
    /// The process exit status for this error.
    ///
    /// ```
    /// use zcstack::serve::ServeError;
    /// assert_eq!(ServeError::NotYet("--http needs TCP (issue 12)").exit_status(), 2);
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
/// ])?.command;
/// let config = zcstack::serve::config(&args);
/// assert_eq!(config.kind, zerocast_tap::device::LinkKind::Tun);
/// assert_eq!(config.faults.drop, 0.5);
/// # Ok::<(), clap::Error>(())
/// ```
#[must_use]
pub fn config(args: &ServeArgs) -> NetStackConfig {
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
    config.faults = FaultConfig {
        drop: args.drop,
        reorder: args.reorder,
        seed: args.seed,
    };
    config
}

/// Runs `zcstack serve` until the stack stops (it runs until the process is killed).
///
/// # Errors
/// See [`ServeError`].
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    if !args.tcp_echo.is_empty() {
        return Err(ServeError::NotYet(
            "--tcp-echo needs TCP (issue 12), which is not built yet",
        ));
    }
    if args.http.is_some() {
        return Err(ServeError::NotYet(
            "--http needs TCP (issue 12), which is not built yet",
        ));
    }
    let config = config(args);
    let echo_sockets: Arc<OnceLock<Vec<SocketId>>> = Arc::new(OnceLock::new());
    let hook_sockets = Arc::clone(&echo_sockets);
    let mut buf = vec![0u8; 65_536];
    let stack = NetStack::start_with_hook(&config, move |stack, bindings| {
        for &socket in hook_sockets.get().map_or(&[][..], Vec::as_slice) {
            echo_queued_datagrams(stack, bindings, socket, &mut buf);
        }
    })
    .map_err(ServeError::Start)?;
    let echo_ports = open_udp_echo(&stack, &args.udp_echo, &args.join)?;
    // The hook only reads the ids once they are set; datagrams that arrive earlier wait in
    // the sockets' queues and are answered at the next turn of the loop.
    let _ = echo_sockets.set(echo_ports);
    let device = stack.device();
    let mac = match config.kind {
        LinkKind::Tap => format!(" mac {}", Mac(config.mac)),
        LinkKind::Tun => String::new(),
    };
    let addrs: Vec<String> = args.addr.iter().map(ToString::to_string).collect();
    eprintln!(
        "zcstack: ready on {} {}{mac} mtu {}, addresses {}{}",
        config.kind.mode_name(),
        device.name(),
        device.mtu(),
        addrs.join(" "),
        if args.udp_echo.is_empty() {
            String::new()
        } else {
            format!(", udp echo on {:?}", args.udp_echo)
        }
    );
    stack.wait().map_err(ServeError::Io)
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
