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

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-shot fake proxy on loopback: checks the login, answers the request with
    /// `reply` (0: success, bound 0.0.0.0:4000) followed by `extra` bytes.
    async fn fake_proxy(reply: u8, extra: &'static [u8]) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut greeting = [0u8; 4];
            s.read_exact(&mut greeting).await.unwrap();
            assert_eq!(
                greeting,
                [5, 2, 0, 2],
                "no auth and username/password offered"
            );
            s.write_all(&[5, 2]).await.unwrap();
            let mut login = [0u8; 7];
            s.read_exact(&mut login).await.unwrap();
            assert_eq!(login, [1, 2, b'u', b'1', 2, b'p', b'1']);
            s.write_all(&[1, 0]).await.unwrap();
            let mut request = [0u8; 10];
            s.read_exact(&mut request).await.unwrap();
            assert_eq!(request[..4], [5, 3, 0, 1], "UDP ASSOCIATE, IPv4");
            let mut answer = vec![5, reply, 0, 1, 0, 0, 0, 0, 0x0f, 0xa0];
            answer.extend_from_slice(extra);
            s.write_all(&answer).await.unwrap();
            // Hold the control connection until the client goes.
            let mut rest = Vec::new();
            let _ = s.read_to_end(&mut rest).await;
        });
        addr
    }

    fn proxy_at(addr: SocketAddr) -> Proxy {
        Proxy {
            addr,
            credentials: Some(Credentials::new(b"u1", b"p1").unwrap()),
        }
    }

    #[tokio::test]
    async fn udp_associate_with_login_returns_the_bound_address_and_early_bytes() {
        let proxy = proxy_at(fake_proxy(0, b"xy").await);
        let (_control, bound, rest) =
            handshake(&proxy, Command::UdpAssociate, "0.0.0.0:0".parse().unwrap())
                .await
                .unwrap();
        assert_eq!(bound, TargetAddr::Ip("0.0.0.0:4000".parse().unwrap()));
        assert_eq!(rest, b"xy");
    }

    #[tokio::test]
    async fn reply_5_is_a_refusal_and_other_replies_are_not() {
        let proxy = proxy_at(fake_proxy(5, b"").await);
        let err = handshake(&proxy, Command::UdpAssociate, "0.0.0.0:0".parse().unwrap())
            .await
            .unwrap_err();
        assert!(err.is_refused(), "{err}");
        let proxy = proxy_at(fake_proxy(4, b"").await);
        let err = handshake(&proxy, Command::UdpAssociate, "0.0.0.0:0".parse().unwrap())
            .await
            .unwrap_err();
        assert!(!err.is_refused(), "{err}");
    }
}
