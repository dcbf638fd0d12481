//! One relayed TCP connection: connect out to the original destination (directly or
//! through the SOCKS5 proxy), then copy both ways ([`super::copy`]).
//!
//! The stack has already completed the client's handshake when the connection is
//! accepted, so a destination that refuses (RST, or the proxy's "connection refused")
//! is reported to the client by resetting its connection; a destination that cannot be
//! reached in time, or has no route, is reported the same way (a RST rather than an ICMP
//! unreachable: the client's connection exists by then, and a RST ends it at once).

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use zerocast_socks5::Command;
use zerocast_tokio::tcp::TcpStream as StackStream;

use super::copy::{self, Ending};
use super::socks5::{self, ProxyError};
use super::stats::Proto;
use super::{Outbound, RelayContext};

/// Why connecting out failed, as the client will learn it.
#[derive(Debug)]
enum ConnectFailure {
    /// Refused: RST from the destination, or the proxy's reply 5.
    Refused(String),
    /// Timed out, no route, the proxy failed otherwise.
    Unreachable(String),
}

/// Relays `client` (accepted by the transparent listener) to its original destination.
pub async fn relay_connection(ctx: Arc<RelayContext>, client: StackStream, peer: SocketAddr) {
    let counters = &ctx.stats.counters;
    counters.tcp_accepted.fetch_add(1, Ordering::Relaxed);
    ctx.stats.count_shard_flow(ctx.shard);
    let Ok(dest) = client.local_addr() else {
        client.abort();
        return;
    };
    let flow = ctx.stats.open(Proto::Tcp, peer, dest);
    ctx.live_tcp
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(client.socket_id());
    let outcome = connect_out(&ctx, dest).await;
    let (mut host, first_down) = match outcome {
        Ok(connected) => connected,
        Err(failure) => {
            let why = match &failure {
                ConnectFailure::Refused(why) => {
                    counters.tcp_refused.fetch_add(1, Ordering::Relaxed);
                    why
                }
                ConnectFailure::Unreachable(why) => {
                    counters.tcp_unreachable.fetch_add(1, Ordering::Relaxed);
                    why
                }
            };
            if ctx.verbose {
                eprintln!("zcstack relay: {peer} -> {dest}: {why}; reset");
            }
            forget(&ctx, &client);
            client.abort();
            return;
        }
    };
    let ending = copy::relay(&client, &mut host, &first_down, &flow, ctx.tcp_idle).await;
    forget(&ctx, &client);
    match ending {
        Ending::Completed => {
            counters.tcp_completed.fetch_add(1, Ordering::Relaxed);
        }
        Ending::Reset | Ending::Idle => {
            let counter = if ending == Ending::Idle {
                &counters.tcp_idle
            } else {
                &counters.tcp_reset
            };
            counter.fetch_add(1, Ordering::Relaxed);
            // A zero linger makes the kernel reset the host side on close.
            let _ = host.set_zero_linger();
            client.abort();
        }
    }
}

fn forget(ctx: &RelayContext, client: &StackStream) {
    ctx.live_tcp
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&client.socket_id());
}

/// Opens the host side: a socket to `dest`, or a proxied one with the bytes the proxy
/// already relayed.
async fn connect_out(
    ctx: &RelayContext,
    dest: SocketAddr,
) -> Result<(tokio::net::TcpStream, Vec<u8>), ConnectFailure> {
    let attempt = async {
        match &ctx.outbound {
            Outbound::Direct => {
                let stream = tokio::net::TcpStream::connect(dest)
                    .await
                    .map_err(ProxyError::Io)?;
                Ok((stream, Vec::new()))
            }
            Outbound::Socks5(proxy) => socks5::handshake(proxy, Command::Connect, dest)
                .await
                .map(|(stream, _, rest)| (stream, rest)),
        }
    };
    match tokio::time::timeout(ctx.connect_timeout, attempt).await {
        Err(_) => Err(ConnectFailure::Unreachable("connect timed out".into())),
        Ok(Err(e)) if e.is_refused() => Err(ConnectFailure::Refused(e.to_string())),
        Ok(Err(e)) => Err(ConnectFailure::Unreachable(e.to_string())),
        Ok(Ok((stream, rest))) => {
            let _ = stream.set_nodelay(true);
            Ok((stream, rest))
        }
    }
}
