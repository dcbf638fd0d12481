//! TCP on the [`FakeNetwork`]: two stacks on one link and a bulk transfer between them
//! whose every byte is checked, ending in the close handshake.

use alloc::format;
use alloc::string::String;
use core::net::{IpAddr, SocketAddr};

use super::{FakeNetwork, HostId, LinkConfig};
use crate::tcp::TcpState;
use crate::time::Duration;
use crate::{DeviceId, SocketId, Stack, StackConfig};

/// The byte at offset `i` of a transfer: position-dependent, so a lost, duplicated or
/// misplaced byte is caught.
#[must_use]
pub fn pattern_byte(i: usize) -> u8 {
    (i.wrapping_mul(31) ^ (i >> 9)) as u8
}

/// Two stacks joined by one link: `client` (10.0.0.1, 2001:db8::1) and `server`
/// (10.0.0.2, 2001:db8::2).
pub struct TcpPair {
    /// The network.
    pub net: FakeNetwork<Stack>,
    /// The active opener.
    pub client: HostId,
    /// The listener.
    pub server: HostId,
}

fn add_host(
    net: &mut FakeNetwork<Stack>,
    v4: &str,
    v6: &str,
    config: StackConfig,
) -> (HostId, DeviceId) {
    let id = net.add_host(Stack::new(config));
    let dev = net.with_host(id, |s, bc| {
        let dev = s.add_pure_ip_device(1500);
        let v4: IpAddr = v4
            .parse()
            .unwrap_or(IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED));
        let v6: IpAddr = v6
            .parse()
            .unwrap_or(IpAddr::V6(core::net::Ipv6Addr::UNSPECIFIED));
        let _ = s.add_address(bc, dev, v4, 24);
        let _ = s.add_address(bc, dev, v6, 64);
        dev
    });
    (id, dev)
}

impl TcpPair {
    /// Two hosts on a link with `link`'s faults, the network seeded with `seed`.
    #[must_use]
    pub fn new(seed: u64, link: LinkConfig, config: StackConfig) -> TcpPair {
        let mut net = FakeNetwork::new(seed);
        let (client, cd) = add_host(&mut net, "10.0.0.1", "2001:db8::1", config.clone());
        let (server, sd) = add_host(&mut net, "10.0.0.2", "2001:db8::2", config);
        net.connect(&[(client, cd), (server, sd)], link);
        TcpPair {
            net,
            client,
            server,
        }
    }
}

/// What a bulk transfer measured.
#[derive(Debug, Clone)]
pub struct TransferReport {
    /// Bytes the server read (all checked against [`pattern_byte`]).
    pub delivered: usize,
    /// Simulated time from connect to the server reading end of stream.
    pub elapsed: Duration,
    /// Segments the client sent (retransmissions included).
    pub client_segments: u64,
}

/// Sends `bytes` from client to server over IPv4 (or IPv6), client closes after the last
/// byte, server closes on end of stream. Checks every byte and that both connections end
/// (client in TIME-WAIT or closed, server closed). Gives up after `limit` of simulated time.
///
/// # Errors
/// A description of what went wrong, with the seed.
pub fn bulk_transfer(
    seed: u64,
    link: LinkConfig,
    bytes: usize,
    v6: bool,
    limit: Duration,
) -> Result<TransferReport, String> {
    let mut pair = TcpPair::new(seed, link, StackConfig::default());
    let server_addr: SocketAddr = if v6 {
        SocketAddr::new(
            IpAddr::V6(core::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2)),
            5001,
        )
    } else {
        SocketAddr::new(IpAddr::V4(core::net::Ipv4Addr::new(10, 0, 0, 2)), 5001)
    };
    let listener = pair.net.with_host(pair.server, |s, bc| {
        let l = s.tcp_open().map_err(|e| format!("open: {e}"))?;
        s.tcp_bind(
            l,
            SocketAddr::new(
                if v6 {
                    "::".parse().unwrap_or(server_addr.ip())
                } else {
                    "0.0.0.0".parse().unwrap_or(server_addr.ip())
                },
                5001,
            ),
        )
        .map_err(|e| format!("bind: {e}"))?;
        s.tcp_listen(bc, l, 4).map_err(|e| format!("listen: {e}"))?;
        Ok::<SocketId, String>(l)
    })?;
    let client = pair.net.with_host(pair.client, |s, bc| {
        let c = s.tcp_open().map_err(|e| format!("open: {e}"))?;
        s.tcp_connect(bc, c, server_addr)
            .map_err(|e| format!("connect: {e}"))?;
        Ok::<SocketId, String>(c)
    })?;
    let start = pair.net.now();
    let end = start + limit;
    let mut sent = 0usize;
    let mut client_closed = false;
    let mut accepted: Option<SocketId> = None;
    let mut received = 0usize;
    let mut eof_at = None;
    let mut chunk = alloc::vec![0u8; 16 * 1024];
    let mut buf = alloc::vec![0u8; 16 * 1024];
    loop {
        // The client writes what fits, then closes.
        if !client_closed {
            let r = pair.net.with_host(pair.client, |s, bc| {
                while sent < bytes {
                    let n = (bytes - sent).min(chunk.len());
                    for (k, b) in chunk[..n].iter_mut().enumerate() {
                        *b = pattern_byte(sent + k);
                    }
                    match s.tcp_send(bc, client, &chunk[..n]) {
                        Ok(k) => sent += k,
                        Err(crate::SocketError::WouldBlock) => break,
                        Err(e) => return Err(format!("client send: {e}")),
                    }
                }
                if sent == bytes {
                    s.tcp_close(bc, client)
                        .map_err(|e| format!("client close: {e}"))?;
                    return Ok(true);
                }
                Ok(false)
            });
            client_closed = r.map_err(|e| format!("seed {seed}: {e}"))?;
        }
        // The server accepts once, reads and checks, closes on end of stream.
        if eof_at.is_none() {
            let r = pair.net.with_host(pair.server, |s, bc| {
                if accepted.is_none() {
                    match s.tcp_accept(bc, listener) {
                        Ok((id, _)) => accepted = Some(id),
                        Err(crate::SocketError::WouldBlock) => return Ok(false),
                        Err(e) => return Err(format!("accept: {e}")),
                    }
                }
                let Some(id) = accepted else { return Ok(false) };
                loop {
                    match s.tcp_recv(bc, id, &mut buf) {
                        Ok(0) => {
                            s.tcp_close(bc, id)
                                .map_err(|e| format!("server close: {e}"))?;
                            return Ok(true);
                        }
                        Ok(n) => {
                            for (k, b) in buf[..n].iter().enumerate() {
                                if *b != pattern_byte(received + k) {
                                    return Err(format!("byte {} wrong", received + k));
                                }
                            }
                            received += n;
                        }
                        Err(crate::SocketError::WouldBlock) => return Ok(false),
                        Err(e) => return Err(format!("server recv: {e} after {received} bytes")),
                    }
                }
            });
            if r.map_err(|e| format!("seed {seed}: {e}"))? {
                eof_at = Some(pair.net.now());
            }
        }
        let finished = eof_at.is_some() && {
            let c = pair.net.node(pair.client);
            let s = pair.net.node(pair.server);
            c.tcp
                .iter()
                .all(|(_, e)| matches!(e.conn.state, TcpState::TimeWait | TcpState::Closed))
                && s.tcp.len() == 0
        };
        if finished {
            break;
        }
        if pair.net.now() > end || !pair.net.step() {
            let states: alloc::vec::Vec<_> = pair
                .net
                .node(pair.client)
                .tcp
                .iter()
                .map(|(_, e)| (e.conn.state, e.conn.snd_una.get(), e.conn.snd_max.get()))
                .collect();
            let sstates: alloc::vec::Vec<_> = pair
                .net
                .node(pair.server)
                .tcp
                .iter()
                .map(|(_, e)| (e.conn.state, e.conn.rcv_nxt.get()))
                .collect();
            return Err(format!(
                "seed {seed}: stuck at {:?}: sent {sent}, received {received}/{bytes}, client {states:?}, server {sstates:?}",
                pair.net.now()
            ));
        }
    }
    if received != bytes {
        return Err(format!("seed {seed}: received {received} of {bytes}"));
    }
    Ok(TransferReport {
        delivered: received,
        elapsed: eof_at.unwrap_or(start).saturating_duration_since(start),
        client_segments: pair.net.node(pair.client).counters().tcp.tx,
    })
}
