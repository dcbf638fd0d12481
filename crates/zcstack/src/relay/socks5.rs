//! The SOCKS5 handshake (zerocast-socks5's sans-IO client) over a tokio socket.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zerocast_socks5::{
    ClientHandshake, Command, Credentials, ReplyCode, Socks5Error, Status, TargetAddr,
};

/// Where the proxy is and how to log in.
#[derive(Clone, Debug)]
pub struct Proxy {
    /// The proxy's address.
    pub addr: SocketAddr,
    /// RFC 1929 username and password, if the proxy wants them.
    pub credentials: Option<Credentials>,
}

/// Why a proxied connection failed.
#[derive(Debug)]
pub enum ProxyError {
    /// The proxy could not be reached or the connection to it failed.
    Io(io::Error),
    /// The proxy refused (its reply code) or spoke something else.
    Socks(Socks5Error),
}

impl ProxyError {
    /// Whether the destination refused the connection (the proxy's reply 5, RFC 1928
    /// section 6), which the relay reports to the client as a RST like a direct refusal.
    #[must_use]
    pub fn is_refused(&self) -> bool {
        match self {
            ProxyError::Socks(Socks5Error::Rejected(code)) => *code == ReplyCode::ConnectionRefused,
            ProxyError::Io(e) => e.kind() == io::ErrorKind::ConnectionRefused,
            ProxyError::Socks(_) => false,
        }
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxyError::Io(e) => write!(f, "proxy: {e}"),
            ProxyError::Socks(e) => write!(f, "proxy: {e}"),
        }
    }
}

impl From<io::Error> for ProxyError {
    fn from(e: io::Error) -> ProxyError {
        ProxyError::Io(e)
    }
}

/// Connects to the proxy and runs `command` for `target`: the control connection, the
/// address the proxy bound (CONNECT: its outgoing socket; UDP ASSOCIATE: where to send
/// datagrams), and any bytes that arrived after the reply (relayed data).
///
/// # Errors
/// [`ProxyError`].
pub async fn handshake(
    proxy: &Proxy,
    command: Command,
    target: SocketAddr,
) -> Result<(TcpStream, TargetAddr, Vec<u8>), ProxyError> {
    let mut stream = TcpStream::connect(proxy.addr).await?;
    stream.set_nodelay(true)?;
    let mut hs = ClientHandshake::new(command, TargetAddr::Ip(target), proxy.credentials.clone())
        .map_err(ProxyError::Socks)?;
    let mut buf = [0u8; 512];
    // Each round trip answers one step; a handshake has at most three.
    for _ in 0..8 {
        if !hs.output().is_empty() {
            stream.write_all(hs.output()).await?;
            hs.clear_output();
        }
        match hs.status() {
            Status::Done(bound) => return Ok((stream, bound, Vec::new())),
            Status::Failed(e) => return Err(ProxyError::Socks(e)),
            Status::InProgress => {}
        }
        let n = stream.read(&mut buf).await?;
        let input = buf.get(..n).unwrap_or_default();
        if input.is_empty() {
            return Err(ProxyError::Socks(Socks5Error::Truncated));
        }
        let used = hs.feed(input).map_err(ProxyError::Socks)?;
        if let Status::Done(bound) = hs.status() {
            let rest = input.get(used..).unwrap_or_default().to_vec();
            return Ok((stream, bound, rest));
        }
    }
    Err(ProxyError::Socks(Socks5Error::Truncated))
}
