//! `zcstack serve`: the stack on one interface, with UDP echo services, until killed.
//!
//! Each echo port is served by a thread on the blocking sockets of `zerocast-tap`, one
//! socket per address family, so the services are ordinary application code on top of the
//! binding. TCP echo and HTTP wait for TCP (issue 12) and are refused with that message.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use zerocast_tap::device::LinkKind;
use zerocast_tap::fault::FaultConfig;
use zerocast_tap::netstack::{NetStack, NetStackConfig, StartError};
use zerocast_tap::udp::UdpSocket;

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
    let stack = NetStack::start(&config).map_err(ServeError::Start)?;
    for &port in &args.udp_echo {
        // One dual-stack socket: `[::]` receives IPv4 too (the core's sockets behave as
        // Linux's with IPV6_V6ONLY off).
        let local = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port);
        let socket = UdpSocket::bind(&stack, local).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                ServeError::PortInUse {
                    protocol: "UDP",
                    port,
                }
            } else {
                ServeError::Io(e)
            }
        })?;
        for &group in &args.join {
            socket.join_multicast(group).map_err(ServeError::Io)?;
        }
        std::thread::Builder::new()
            .name(format!("udp echo {port}"))
            .spawn(move || udp_echo(&socket))
            .map_err(ServeError::Io)?;
    }
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

/// Echoes every datagram back to its sender until the socket fails.
fn udp_echo(socket: &UdpSocket) {
    let mut buf = vec![0u8; 65_536];
    loop {
        match socket.recv_from(&mut buf) {
            Ok((len, peer)) => {
                // A failed echo (no route back, an ICMP error from a previous one) is the
                // peer's problem, not the service's.
                let _ = socket.send_to(&buf[..len], peer);
            }
            // An ICMP error a previous echo provoked is reported once; keep serving.
            Err(e) if e.kind() != std::io::ErrorKind::Other => {}
            Err(_) => return,
        }
    }
}
