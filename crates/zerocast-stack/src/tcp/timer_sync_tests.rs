//! The stack's timer entry for a connection follows every deadline the connection arms
//! or stops, although `run_conn` recomputes the earliest deadline only when a deadline's
//! "changed" flag (`tcp/deadline.rs`) or the state says one may have moved. Each timer is
//! armed here through the public API and the stack's next deadline must show it.

use super::burst_tests::{connected, deliver, Host};
use crate::context::Clock;
use crate::tcp::TcpSocketOptions;
use crate::time::{Duration, Instant};

/// Every connection's cached deadline is its real one, and the stack's timer heap holds
/// an entry at or before the earliest of them (an entry may fire early, never late).
/// Returns the earliest connection deadline.
fn synced(h: &Host) -> Option<Instant> {
    let mut earliest: Option<Instant> = None;
    for (_, e) in h.stack.tcp.iter() {
        if e.conn.is_closed() {
            continue;
        }
        let real = e.conn.next_deadline();
        assert_eq!(e.deadline, real, "cached deadline is stale");
        earliest = match (earliest, real) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    match (h.stack.next_deadline(), earliest) {
        (Some(heap), Some(conn)) => assert!(heap <= conn, "the heap entry fires late"),
        (None, None) => {}
        (heap, conn) => panic!("heap {heap:?}, connections {conn:?}"),
    }
    earliest
}

/// Runs both stacks' due timers at `at`.
fn run_timers(a: &mut Host, b: &mut Host, at: Instant) {
    for h in [&mut *a, &mut *b] {
        h.bc.set_now(at);
        h.stack.handle_timers(&mut h.bc);
    }
}

#[test]
fn every_timer_armed_through_the_api_moves_the_stacks_deadline() {
    let (mut a, mut b, client, server) = connected();
    let config = b.stack.config.tcp.clone();
    synced(&a);
    synced(&b);

    // RTO and tail loss probe: data in flight.
    assert_eq!(a.stack.tcp_send(&mut a.bc, client, b"x"), Ok(1));
    let rto_or_probe = synced(&a).expect("data in flight arms the RTO");
    assert!(rto_or_probe > a.bc.now());

    // Delayed ACK: one small segment in.
    deliver(&mut a, &mut b);
    let now = b.bc.now();
    assert_eq!(synced(&b), Some(now + config.delayed_ack));

    // The reply carries the ACK: the delayed ACK stops, b's own RTO starts; a's RTO stops
    // and its delayed ACK starts.
    let mut buf = [0; 4];
    assert_eq!(b.stack.tcp_recv(&mut b.bc, server, &mut buf), Ok(1));
    assert_eq!(b.stack.tcp_send(&mut b.bc, server, b"y"), Ok(1));
    assert!(synced(&b).is_some_and(|t| t != now + config.delayed_ack));
    deliver(&mut b, &mut a);
    assert_eq!(synced(&a), Some(a.bc.now() + config.delayed_ack));
    assert_eq!(a.stack.tcp_recv(&mut a.bc, client, &mut buf), Ok(1));
    synced(&a);

    // The delayed ACK fires and goes; then nothing is pending on either side.
    let at = a.bc.now() + config.delayed_ack;
    run_timers(&mut a, &mut b, at);
    deliver(&mut a, &mut b);
    assert_eq!(synced(&a), None);
    assert_eq!(synced(&b), None);

    // Keepalive: enabled on b, re-armed by the next segment b receives.
    let idle = Duration::from_secs(30);
    let options = TcpSocketOptions {
        keepalive: Some(crate::tcp::Keepalive {
            idle,
            ..Default::default()
        }),
        ..Default::default()
    };
    b.stack.tcp_set_options(server, options).unwrap();
    assert!(synced(&b).is_some());
    assert_eq!(a.stack.tcp_send(&mut a.bc, client, b"z"), Ok(1));
    deliver(&mut a, &mut b);
    let now = b.bc.now();
    assert_eq!(synced(&b), Some(now + config.delayed_ack));
    assert_eq!(b.stack.tcp_recv(&mut b.bc, server, &mut buf), Ok(1));
    run_timers(&mut a, &mut b, now + config.delayed_ack);
    deliver(&mut b, &mut a);
    assert_eq!(synced(&b), Some(now + idle));
    assert_eq!(synced(&a), None);

    // TIME-WAIT: a closes first, b follows; a waits 2 MSL after the last FIN.
    a.stack.tcp_close(&mut a.bc, client).unwrap();
    deliver(&mut a, &mut b);
    deliver(&mut b, &mut a);
    b.stack.tcp_close(&mut b.bc, server).unwrap();
    deliver(&mut b, &mut a);
    let fin_in = a.bc.now();
    assert_eq!(synced(&a), Some(fin_in + config.time_wait));
    deliver(&mut a, &mut b);
    assert_eq!(synced(&b), None, "b's last ACK came: closed");
    run_timers(&mut a, &mut b, fin_in + config.time_wait);
    assert_eq!(synced(&a), None, "TIME-WAIT over");
}

#[test]
fn a_lingering_close_arms_its_deadline() {
    let (mut a, mut b, client, _server) = connected();
    let linger = Duration::from_secs(3);
    let options = TcpSocketOptions {
        linger: Some(linger),
        ..Default::default()
    };
    a.stack.tcp_set_options(client, options).unwrap();
    assert_eq!(a.stack.tcp_send(&mut a.bc, client, b"data"), Ok(4));
    let rto = synced(&a).expect("data in flight");
    // The data and FIN stay unacknowledged (nothing is delivered to b).
    a.stack.tcp_close(&mut a.bc, client).unwrap();
    let now = a.bc.now();
    assert!(now + linger > rto, "the RTO comes first here");
    let deadlines: alloc::vec::Vec<_> = a
        .stack
        .tcp
        .iter()
        .map(|(_, e)| e.conn.linger_at.get())
        .collect();
    assert_eq!(deadlines, [Some(now + linger)]);
    synced(&a);
    // The linger time passes (RTOs on the way): the connection resets and is gone.
    let mut at = now;
    while let Some(t) = a.stack.next_deadline().filter(|t| *t <= now + linger) {
        at = t;
        run_timers(&mut a, &mut b, at);
        synced(&a);
    }
    assert_eq!(at, now + linger);
    assert_eq!(synced(&a), None);
}
