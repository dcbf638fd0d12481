//! UDP flows: every datagram the transparent socket receives belongs to the flow of its
//! (source, original destination) pair. A flow has a host UDP socket connected to the
//! destination (or, through SOCKS5, a UDP ASSOCIATE with its control connection), a task
//! that answers the client with what comes back, sent from the original destination, and
//! an idle timer that ends it.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::UdpSocket as HostSocket;
use tokio::time::Instant;
use zerocast_socks5::udp::{decode_datagram, encode_datagram, relay_address};
use zerocast_socks5::{Command, TargetAddr};
use zerocast_tokio::udp::UdpSocket as StackSocket;

use super::socks5;
use super::stats::{FlowGuard, Proto};
use super::{Outbound, RelayContext};

/// The largest datagram relayed (a UDP payload's maximum).
const MAX_DATAGRAM: usize = 65_535;

/// A live flow, as the receive loop sees it.
struct FlowHandle {
    socket: Arc<HostSocket>,
    /// Through a proxy: datagrams get the RFC 1928 section 7 header.
    proxied: bool,
    guard: Arc<FlowGuard>,
    last_ms: Arc<AtomicU64>,
}

type FlowKey = (SocketAddr, SocketAddr);

/// Runs the UDP side until the transparent socket fails.
pub async fn run(ctx: Arc<RelayContext>, transparent: Arc<StackSocket>) {
    let flows: Arc<Mutex<HashMap<FlowKey, FlowHandle>>> = Arc::default();
    let start = Instant::now();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let counters = &ctx.stats.counters;
    loop {
        let Ok((n, from, to)) = transparent.recv_transparent(&mut buf).await else {
            return;
        };
        let payload = buf.get(..n).unwrap_or_default();
        let key = (from, to);
        let existing = lock(&flows).get(&key).map(|f| {
            (
                Arc::clone(&f.socket),
                f.proxied,
                Arc::clone(&f.guard),
                Arc::clone(&f.last_ms),
            )
        });
        let (socket, proxied, guard, last_ms) = match existing {
            Some(flow) => flow,
            None => {
                // The limit counts every shard's flows: take a slot, or drop.
                let reserved =
                    ctx.udp_live
                        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                            (n < ctx.max_udp_flows).then_some(n + 1)
                        });
                if reserved.is_err() {
                    counters.udp_dropped.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                match open_flow(&ctx, to).await {
                    Ok((socket, control)) => {
                        counters.udp_flows.fetch_add(1, Ordering::Relaxed);
                        ctx.stats.count_shard_flow(ctx.shard);
                        let handle = FlowHandle {
                            socket: Arc::new(socket),
                            proxied: control.is_some(),
                            guard: Arc::new(ctx.stats.open(Proto::Udp, from, to)),
                            last_ms: Arc::new(AtomicU64::new(millis_since(start))),
                        };
                        let parts = (
                            Arc::clone(&handle.socket),
                            handle.proxied,
                            Arc::clone(&handle.guard),
                            Arc::clone(&handle.last_ms),
                        );
                        tokio::spawn(answer_flow(
                            Arc::clone(&ctx),
                            Arc::clone(&transparent),
                            Arc::clone(&flows),
                            key,
                            parts.clone(),
                            control,
                            start,
                        ));
                        lock(&flows).insert(key, handle);
                        parts
                    }
                    Err(e) => {
                        ctx.udp_live.fetch_sub(1, Ordering::Relaxed);
                        if ctx.verbose {
                            eprintln!("zcstack relay: udp {from} -> {to}: {e}");
                        }
                        counters.udp_dropped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                }
            }
        };
        last_ms.store(millis_since(start), Ordering::Relaxed);
        let sent = if proxied {
            let mut framed = Vec::with_capacity(payload.len() + 22);
            encode_datagram(&TargetAddr::Ip(to), payload, &mut framed);
            socket.send(&framed).await
        } else {
            socket.send(payload).await
        };
        if sent.is_ok() {
            counters.udp_up.fetch_add(1, Ordering::Relaxed);
            guard.add_up(payload.len());
        } else {
            counters.udp_dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn unspecified_like(addr: SocketAddr) -> SocketAddr {
    let ip = match addr {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    SocketAddr::new(ip, 0)
}

/// The host socket of a new flow to `to`, connected to it (direct) or to the proxy's
/// relay address with the association's control connection (SOCKS5).
async fn open_flow(
    ctx: &RelayContext,
    to: SocketAddr,
) -> Result<(HostSocket, Option<tokio::net::TcpStream>), String> {
    match &ctx.outbound {
        Outbound::Direct => {
            let socket = HostSocket::bind(unspecified_like(to))
                .await
                .map_err(|e| e.to_string())?;
            socket.connect(to).await.map_err(|e| e.to_string())?;
            Ok((socket, None))
        }
        Outbound::Socks5(proxy) => {
            let attempt =
                socks5::handshake(proxy, Command::UdpAssociate, unspecified_like(proxy.addr));
            let (control, bound, _) = tokio::time::timeout(ctx.connect_timeout, attempt)
                .await
                .map_err(|_| "UDP ASSOCIATE timed out".to_owned())?
                .map_err(|e| e.to_string())?;
            let TargetAddr::Ip(relay) = relay_address(&bound, proxy.addr) else {
                return Err("the proxy's UDP relay is a domain name".to_owned());
            };
            let socket = HostSocket::bind(unspecified_like(relay))
                .await
                .map_err(|e| e.to_string())?;
            socket.connect(relay).await.map_err(|e| e.to_string())?;
            Ok((socket, Some(control)))
        }
    }
}

/// Copies what comes back on a flow's host socket to the client, from the original
/// destination, until the flow has been idle for the UDP idle timeout (or, proxied, the
/// proxy closes the association's control connection).
async fn answer_flow(
    ctx: Arc<RelayContext>,
    transparent: Arc<StackSocket>,
    flows: Arc<Mutex<HashMap<FlowKey, FlowHandle>>>,
    (client, dest): FlowKey,
    (socket, proxied, guard, last_ms): (Arc<HostSocket>, bool, Arc<FlowGuard>, Arc<AtomicU64>),
    mut control: Option<tokio::net::TcpStream>,
    start: Instant,
) {
    let counters = &ctx.stats.counters;
    let mut buf = vec![0u8; MAX_DATAGRAM];
    let mut control_buf = [0u8; 64];
    loop {
        let last = start + Duration::from_millis(last_ms.load(Ordering::Relaxed));
        let deadline = last + ctx.udp_idle;
        let control_closed = async {
            match control.as_mut() {
                // Any byte or the end of the control connection ends the association.
                Some(c) => {
                    let _ = c.read(&mut control_buf).await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            received = socket.recv(&mut buf) => {
                let Ok(n) = received else { continue };
                let datagram = buf.get(..n).unwrap_or_default();
                let payload = if proxied {
                    match decode_datagram(datagram) {
                        Ok((_, payload)) => payload,
                        Err(_) => {
                            counters.udp_dropped.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    }
                } else {
                    datagram
                };
                last_ms.store(millis_since(start), Ordering::Relaxed);
                if transparent.send_from(payload, dest, client).await.is_ok() {
                    counters.udp_down.fetch_add(1, Ordering::Relaxed);
                    guard.add_down(payload.len());
                } else {
                    counters.udp_dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                let last = start + Duration::from_millis(last_ms.load(Ordering::Relaxed));
                if Instant::now() >= last + ctx.udp_idle {
                    counters.udp_expired.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            }
            () = control_closed => break,
        }
    }
    lock(&flows).remove(&(client, dest));
    ctx.udp_live.fetch_sub(1, Ordering::Relaxed);
}
