//! Command-line arguments of `zcstack` (clap), and the parsers for the values a person types:
//! addresses with a prefix length (`10.99.0.2/24`, `fd99::2/64`), MAC addresses
//! (`02:00:5e:10:00:01`), probabilities.
//!
//! A malformed value is a usage error (exit status 2) naming the value and what was wrong
//! with it, before any interface is touched.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand};

/// zerocast-stack on a Linux TAP or TUN interface.
///
/// ```
/// use clap::Parser;
/// use zcstack::cli::{Cli, Command};
/// let cli = Cli::try_parse_from([
///     "zcstack", "serve", "--tap", "zc0", "--addr", "10.99.0.2/24", "--udp-echo", "7",
/// ])?;
/// let Command::Serve(serve) = cli.command else { unreachable!() };
/// assert_eq!(serve.link.tap, "zc0");
/// assert_eq!(serve.link.addr[0].prefix_len, 24);
/// assert_eq!(serve.udp_echo, [7]);
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Parser)]
#[command(name = "zcstack", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the stack on an interface and serve echo and HTTP services until killed.
    Serve(ServeArgs),
    /// Download URL (`http://IP[:PORT]/PATH`) with the stack as the client.
    Fetch(FetchArgs),
    /// Connect to HOST:PORT with the stack, send standard input, half-close, and copy what
    /// comes back to standard output until the peer closes.
    Send(SendArgs),
    /// Relay every TCP connection and UDP flow arriving on a TUN to its destination,
    /// directly or through a SOCKS5 proxy (tun2socks-style; see the README's recipe).
    Relay(RelayArgs),
}

/// Arguments of `zcstack relay`.
///
/// ```
/// use clap::Parser;
/// use zcstack::cli::{Cli, Command};
/// let cli = Cli::try_parse_from(["zcstack", "relay", "--tun", "zc0", "--addr", "10.7.0.2/24", "--direct"])?;
/// let Command::Relay(relay) = cli.command else { unreachable!() };
/// assert!(relay.direct && relay.socks5.is_none());
/// assert!(Cli::try_parse_from(["zcstack", "relay", "--tun", "zc0", "--addr", "10.7.0.2/24"]).is_err());
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Args)]
pub struct RelayArgs {
    /// The TUN: attached to if it exists, created otherwise.
    #[arg(long, value_name = "NAME")]
    pub tun: String,

    /// An address of the relay's stack on the TUN (repeatable; IPv4 and IPv6). Clients
    /// route through it; packets to any other address are relayed.
    #[arg(long, value_name = "IP/LEN", required = true)]
    pub addr: Vec<Cidr>,

    /// The MTU to set on the TUN (default: keep the interface's).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u16).range(1280..))]
    pub mtu: Option<u16>,

    /// Connect to destinations directly with host sockets.
    #[arg(long, conflicts_with = "socks5", required_unless_present = "socks5")]
    pub direct: bool,

    /// Connect through the SOCKS5 proxy at IP:PORT (CONNECT for TCP, UDP ASSOCIATE for UDP).
    #[arg(long, value_name = "IP:PORT", value_parser = crate::relay::parse_proxy)]
    pub socks5: Option<std::net::SocketAddr>,

    /// The SOCKS5 username (RFC 1929); needs --socks5-pass.
    #[arg(
        long,
        value_name = "USER",
        requires = "socks5",
        requires = "socks5_pass"
    )]
    pub socks5_user: Option<String>,

    /// The SOCKS5 password (RFC 1929); needs --socks5-user.
    #[arg(long, value_name = "PASS", requires = "socks5_user")]
    pub socks5_pass: Option<String>,

    /// The most TCP connections relayed at once; further ones are reset.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// The most UDP flows at once; datagrams of further flows are dropped.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_udp_flows: usize,

    /// Give up connecting to a destination (or the proxy) after SECONDS; the client's
    /// connection is reset.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,

    /// Reset a TCP connection idle in both directions for SECONDS.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub tcp_idle_timeout: u64,

    /// End a UDP flow idle in both directions for SECONDS.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub udp_idle_timeout: u64,

    /// Stack shards, one per thread, each on its own queue of a multi-queue TUN with its
    /// own flows and host sockets (1: a single-queue TUN).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: u16,

    /// Segmentation and checksum offload on the TUN (the virtio-net header), the default:
    /// the stack hands the kernel TCP segments of up to 64 KiB to cut and takes the
    /// segments the kernel coalesced (plain frames where the kernel refuses).
    #[arg(long, overrides_with = "no_offload")]
    pub offload: bool,

    /// Plain frames on the TUN: no virtio-net header, every segment one packet.
    #[arg(long, overrides_with = "offload")]
    pub no_offload: bool,

    /// Log each connection that could not be relayed.
    #[arg(long)]
    pub verbose: bool,
}

impl RelayArgs {
    /// Whether the TUN is opened with offload: yes unless `--no-offload` came last.
    ///
    /// ```
    /// use clap::Parser;
    /// use zcstack::cli::{Cli, Command};
    /// let relay = |extra: &[&str]| {
    ///     let mut args = vec!["zcstack", "relay", "--tun", "zc0", "--addr", "10.7.0.2/24", "--direct"];
    ///     args.extend_from_slice(extra);
    ///     let Command::Relay(relay) = Cli::try_parse_from(args).unwrap().command else { unreachable!() };
    ///     relay
    /// };
    /// assert!(relay(&[]).offload_enabled());
    /// assert!(!relay(&["--no-offload"]).offload_enabled());
    /// assert!(relay(&["--no-offload", "--offload"]).offload_enabled());
    /// ```
    #[must_use]
    pub fn offload_enabled(&self) -> bool {
        !self.no_offload
    }
}

/// Arguments of `zcstack serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The interface and the stack's addresses.
    #[command(flatten)]
    pub link: LinkArgs,

    /// Echo UDP datagrams on PORT, IPv4 and IPv6 (repeatable).
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub udp_echo: Vec<u16>,

    /// Join multicast GROUP on the UDP echo sockets (repeatable), so
    /// datagrams sent to GROUP are echoed too.
    #[arg(long, value_name = "GROUP", value_parser = parse_multicast)]
    pub join: Vec<IpAddr>,

    /// Join multicast GROUP from the listed sources only (Source-Specific Multicast,
    /// IGMPv3/MLDv2 INCLUDE mode; repeatable), e.g. `232.1.1.1=10.0.0.5,10.0.0.6`. The
    /// stack reports the join and answers the router's queries for it.
    #[arg(long, value_name = "GROUP=SOURCE[,SOURCE...]", value_parser = parse_source_join)]
    pub join_source: Vec<SourceJoin>,

    /// Echo TCP on PORT, IPv4 and IPv6 (repeatable).
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub tcp_echo: Vec<u16>,

    /// Serve HTTP/1.1 on PORT: GET / (a page), GET /bytes/N (N bytes, byte i = i mod 251),
    /// POST /sink (reads the body, answers its length and SHA-256).
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub http: Option<u16>,
}

/// Arguments of `zcstack fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The interface and the stack's addresses.
    #[command(flatten)]
    pub link: LinkArgs,

    /// What to fetch: `http://IP[:PORT][/PATH]` (IPv6 in brackets; no DNS).
    #[arg(value_name = "URL")]
    pub url: crate::http_client::Url,

    /// Write the body to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Give up connecting after SECONDS.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,
}

/// Arguments of `zcstack send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The interface and the stack's addresses.
    #[command(flatten)]
    pub link: LinkArgs,

    /// The peer: `IP:PORT` (IPv6 as `[IP]:PORT`).
    #[arg(value_name = "HOST:PORT")]
    pub peer: std::net::SocketAddr,

    /// Give up connecting after SECONDS.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub connect_timeout: u64,
}

/// The interface and how the stack sits on it (shared by every subcommand).
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The interface: attached to if it exists (`ip tuntap add NAME mode tap`), created
    /// otherwise. The kernel's side is never given an address by zcstack.
    #[arg(long, value_name = "NAME")]
    pub tap: String,

    /// Open NAME as a TUN (bare IP packets, no Ethernet, no ARP/NDP) instead of a TAP.
    #[arg(long)]
    pub tun: bool,

    /// An address of the stack with its prefix length (repeatable; IPv4 and IPv6).
    #[arg(long, value_name = "IP/LEN", required = true)]
    pub addr: Vec<Cidr>,

    /// The stack's MAC address on a TAP (default: a random locally administered one).
    #[arg(long, value_name = "MAC")]
    pub mac: Option<Mac>,

    /// A default gateway (repeatable: one IPv4 and one IPv6).
    #[arg(long, value_name = "IP")]
    pub gateway: Vec<IpAddr>,

    /// The MTU to set on the interface (default: keep the interface's).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u16).range(1280..))]
    pub mtu: Option<u16>,

    /// Segmentation and checksum offload: open the interface with the virtio-net header, so
    /// TCP hands the kernel segments of up to 64 KiB to cut and takes the large segments
    /// the kernel coalesced (falls back to plain frames where the kernel refuses).
    #[arg(long)]
    pub offload: bool,

    /// Write every frame the stack receives or sends to FILE (pcapng).
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,

    /// Drop each frame (both directions) with probability P (fault injection).
    #[arg(long, value_name = "P", value_parser = parse_probability, default_value_t = 0.0)]
    pub drop: f64,

    /// Hold each frame behind the next one with probability P (fault injection).
    #[arg(long, value_name = "P", value_parser = parse_probability, default_value_t = 0.0)]
    pub reorder: f64,

    /// Seed of the fault injector (the stack's own generator is always seeded from the OS).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
}

/// An IP address with a prefix length, as `ip addr` writes it.
///
/// ```
/// use zcstack::cli::Cidr;
/// let c: Cidr = "fd99::2/64".parse().unwrap();
/// assert_eq!(c.prefix_len, 64);
/// assert!("10.0.0.1/33".parse::<Cidr>().is_err());
/// assert!("10.0.0.1".parse::<Cidr>().is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The address.
    pub addr: IpAddr,
    /// The prefix length (0..=32 for IPv4, 0..=128 for IPv6).
    pub prefix_len: u8,
}

/// Why a value did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError(String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

impl FromStr for Cidr {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Cidr, ValueError> {
        let (addr, len) = s.split_once('/').ok_or_else(|| {
            ValueError(format!(
                "{s:?} has no prefix length: write it as ADDRESS/LENGTH, e.g. 10.99.0.2/24"
            ))
        })?;
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| ValueError(format!("{addr:?} is not an IPv4 or IPv6 address")))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix_len: u8 = len
            .parse()
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| ValueError(format!("prefix length {len:?} is not in 0..={max}")))?;
        if addr.is_unspecified() || addr.is_multicast() {
            return Err(ValueError(format!(
                "{addr} cannot be an interface address (unspecified or multicast)"
            )));
        }
        Ok(Cidr { addr, prefix_len })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix_len)
    }
}

/// A unicast MAC address written as six hex pairs separated by `:` or `-`.
///
/// ```
/// use zcstack::cli::Mac;
/// let m: Mac = "02:00:5e:10:00:01".parse().unwrap();
/// assert_eq!(m.0, [2, 0, 0x5e, 0x10, 0, 1]);
/// assert!("01:00:5e:00:00:01".parse::<Mac>().is_err()); // multicast
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Mac(pub [u8; 6]);

impl FromStr for Mac {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Mac, ValueError> {
        let bad = || ValueError(format!("{s:?} is not a MAC address like 02:00:5e:10:00:01"));
        let mut bytes = [0u8; 6];
        let mut parts = s.split([':', '-']);
        for byte in &mut bytes {
            let part = parts.next().ok_or_else(bad)?;
            if part.len() != 2 {
                return Err(bad());
            }
            *byte = u8::from_str_radix(part, 16).map_err(|_| bad())?;
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        if bytes[0] & 1 != 0 || bytes == [0; 6] {
            return Err(ValueError(format!(
                "{s} is a multicast or all-zero MAC; a station needs a unicast one"
            )));
        }
        Ok(Mac(bytes))
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

fn parse_multicast(s: &str) -> Result<IpAddr, ValueError> {
    let addr: IpAddr = s
        .parse()
        .map_err(|_| ValueError(format!("{s:?} is not an IPv4 or IPv6 address")))?;
    if !addr.is_multicast() {
        return Err(ValueError(format!("{addr} is not a multicast group")));
    }
    Ok(addr)
}

/// A source-specific join: the group and the sources it accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceJoin {
    /// The group.
    pub group: IpAddr,
    /// The sources, unicast addresses of the group's family.
    pub sources: Vec<IpAddr>,
}

fn parse_source_join(s: &str) -> Result<SourceJoin, ValueError> {
    let (group, sources) = s
        .split_once('=')
        .ok_or_else(|| ValueError(format!("{s:?} is not GROUP=SOURCE[,SOURCE...]")))?;
    let group = parse_multicast(group)?;
    let sources = sources
        .split(',')
        .map(|a| {
            a.parse::<IpAddr>()
                .ok()
                .filter(|a| !a.is_multicast() && a.is_ipv4() == group.is_ipv4())
                .ok_or_else(|| ValueError(format!("{a:?} is not a unicast source for {group}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SourceJoin { group, sources })
}

fn parse_probability(s: &str) -> Result<f64, ValueError> {
    s.parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| ValueError(format!("{s:?} is not a probability between 0 and 1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let mut argv = vec!["zcstack", "serve"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).map(|cli| match cli.command {
            Command::Serve(s) => s,
            other => panic!("not serve: {other:?}"),
        })
    }

    #[test]
    fn full_command_line_parses() {
        let s = serve(&[
            "--tap",
            "zc0",
            "--addr",
            "10.99.0.2/24",
            "--addr",
            "fd99::2/64",
            "--mac",
            "02:aa:bb:cc:dd:ee",
            "--gateway",
            "10.99.0.1",
            "--udp-echo",
            "7",
            "--tcp-echo",
            "7",
            "--http",
            "80",
            "--pcap",
            "x.pcapng",
            "--drop",
            "0.1",
            "--reorder",
            "0.2",
            "--seed",
            "9",
            "--mtu",
            "9000",
        ])
        .unwrap();
        assert_eq!((s.tcp_echo.as_slice(), s.http), (&[7][..], Some(80)));
        let s = s.link;
        assert_eq!(s.addr.len(), 2);
        assert_eq!(s.addr[1].addr, "fd99::2".parse::<IpAddr>().unwrap());
        assert_eq!(s.mac, Some(Mac([2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])));
        assert_eq!(s.gateway, ["10.99.0.1".parse::<IpAddr>().unwrap()]);
        assert_eq!((s.drop, s.reorder, s.seed), (0.1, 0.2, 9));
        assert_eq!(s.mtu, Some(9000));
        assert!(!s.tun);
    }

    #[test]
    fn address_errors_say_what_is_wrong() {
        let cases = [
            ("10.99.0.2", "no prefix length"),
            ("10.99.0.300/24", "not an IPv4 or IPv6 address"),
            ("10.99.0.2/33", "not in 0..=32"),
            ("fd99::2/129", "not in 0..=128"),
            ("224.0.0.1/4", "multicast"),
        ];
        for (value, message) in cases {
            let err = serve(&["--tap", "zc0", "--addr", value]).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
            assert!(err.to_string().contains(message), "{value}: {err}");
        }
    }

    #[test]
    fn mac_syntax_is_checked() {
        for bad in [
            "02:00:00:00:00",
            "02:00:00:00:00:00:00",
            "02:00:00:00:00:zz",
            "2:0:0:0:0:1",
        ] {
            assert!(bad.parse::<Mac>().is_err(), "{bad}");
        }
        assert_eq!(
            "02-00-00-00-00-01".parse::<Mac>().unwrap().to_string(),
            "02:00:00:00:00:01"
        );
    }

    #[test]
    fn an_address_is_required_and_probabilities_are_bounded() {
        assert!(serve(&["--tap", "zc0"]).is_err());
        assert!(serve(&["--tap", "zc0", "--addr", "10.0.0.2/24", "--drop", "1.5"]).is_err());
        assert!(serve(&["--tap", "zc0", "--addr", "10.0.0.2/24", "--udp-echo", "0"]).is_err());
        let err = serve(&[
            "--tap",
            "zc0",
            "--addr",
            "10.0.0.2/24",
            "--join",
            "10.0.0.9",
        ]);
        assert!(err
            .unwrap_err()
            .to_string()
            .contains("not a multicast group"));
    }

    #[test]
    fn source_joins_name_a_group_and_unicast_sources_of_its_family() {
        let join = parse_source_join("232.1.1.1=10.0.0.5,10.0.0.6").unwrap();
        assert_eq!(join.group, "232.1.1.1".parse::<IpAddr>().unwrap());
        assert_eq!(join.sources.len(), 2);
        for bad in [
            "232.1.1.1",
            "10.0.0.1=10.0.0.5",
            "232.1.1.1=fd00::5",
            "232.1.1.1=239.0.0.1",
            "ff3e::1=",
        ] {
            assert!(parse_source_join(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fetch_and_send_parse_their_targets() {
        let cli = Cli::try_parse_from([
            "zcstack",
            "fetch",
            "--tap",
            "zc0",
            "--addr",
            "10.0.0.2/24",
            "http://10.0.0.1:8080/bytes/5",
            "-o",
            "out.bin",
        ])
        .unwrap();
        let Command::Fetch(f) = cli.command else {
            panic!("not fetch")
        };
        assert_eq!(f.url.addr, "10.0.0.1:8080".parse().unwrap());
        assert_eq!(f.output, Some(PathBuf::from("out.bin")));
        let err = Cli::try_parse_from([
            "zcstack",
            "fetch",
            "--tap",
            "zc0",
            "--addr",
            "10.0.0.2/24",
            "http://localhost/",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("no DNS"), "{err}");
        let cli = Cli::try_parse_from([
            "zcstack",
            "send",
            "--tap",
            "zc0",
            "--addr",
            "fd00::2/64",
            "[fd00::1]:7",
        ])
        .unwrap();
        let Command::Send(s) = cli.command else {
            panic!("not send")
        };
        assert_eq!(s.peer, "[fd00::1]:7".parse().unwrap());
        assert!(Cli::try_parse_from([
            "zcstack",
            "send",
            "--tap",
            "zc0",
            "--addr",
            "fd00::2/64",
            "fd00::1",
        ])
        .is_err());
    }
}
