//! Tests of the neighbour state machine, one per RFC rule, named after its section.

use super::*;
use alloc::vec;

/// A deterministic generator (an LCG); the tests that need exact ReachableTime values
/// read it back from the table instead of predicting it.
struct TestRng(u64);
impl Rng for TestRng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0
    }
}

type Table = NeighborTable<u8, u32>;
type Actions = Vec<NudAction<u8, u32>>;

const PEER: u8 = 7;
const MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 7]);
const OTHER_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 8]);

fn table() -> Table {
    NeighborTable::new(NudConfig::default(), &mut TestRng(42))
}

fn at(ms: u64) -> Instant {
    Instant::from_nanos(ms * 1_000_000)
}

fn advert(solicited: bool, override_flag: bool, link: Option<MacAddr>) -> Advertisement {
    Advertisement {
        link_addr: link,
        solicited,
        override_flag,
        router: Some(false),
    }
}

/// A table with PEER in STALE at MAC (learned from a solicitation at t=0).
fn stale_table() -> Table {
    let mut t = table();
    t.handle_link_addr(at(0), PEER, MAC, &mut vec![]);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    t
}

/// A table with PEER REACHABLE at MAC since t=0.
fn reachable_table() -> Table {
    let mut t = table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    t.handle_advertisement(at(0), PEER, advert(true, true, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    t
}

#[test]
fn reachable_time_is_base_times_a_factor_between_half_and_one_and_a_half_6_3_2() {
    let base = Duration::from_secs(30);
    let mut rng = TestRng(7);
    let samples: Vec<Duration> = (0..200)
        .map(|_| randomized_reachable_time(base, &mut rng))
        .collect();
    assert!(samples
        .iter()
        .all(|d| *d >= Duration::from_secs(15) && *d <= Duration::from_secs(45)));
    // Randomised, not constant: the neighbours must not re-probe in lockstep.
    assert!(samples.iter().any(|d| *d < Duration::from_secs(25)));
    assert!(samples.iter().any(|d| *d > Duration::from_secs(35)));
}

#[test]
fn address_resolution_sends_max_multicast_solicit_one_retrans_timer_apart_7_2_2() {
    let mut t = table();
    let mut out = Actions::new();
    assert_eq!(t.resolve(at(0), PEER, &mut out), Resolution::Pending);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    assert_eq!(t.state(PEER), Some(NudState::Incomplete));
    t.enqueue(at(0), PEER, 100, &mut out);
    out.clear();
    // RETRANS_TIMER (1 s) later, the second; nothing before it.
    assert_eq!(t.next_deadline(), Some(at(1000)));
    t.handle_timers(at(999), &mut out);
    assert!(out.is_empty());
    t.handle_timers(at(1000), &mut out);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    out.clear();
    t.handle_timers(at(2000), &mut out);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    out.clear();
    // The third went unanswered for RetransTimer: resolution failed, the queued frame
    // gets its ICMP error, the entry stays as UNREACHABLE (RFC 7048).
    t.handle_timers(at(3000), &mut out);
    assert_eq!(
        out,
        [NudAction::ResolutionFailed {
            target: PEER,
            frame: 100
        }]
    );
    assert_eq!(t.state(PEER), Some(NudState::Unreachable));
    assert_eq!(t.counters().multicast_probes, 3);
    assert_eq!(t.counters().resolution_failures, 1);
    assert_eq!(t.queued_frames(), 0);
}

#[test]
fn resolving_again_while_incomplete_sends_no_extra_solicitation_7_2_2() {
    let mut t = table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    out.clear();
    assert_eq!(t.resolve(at(10), PEER, &mut out), Resolution::Pending);
    assert!(out.is_empty());
}

#[test]
fn queue_overflow_drops_the_oldest_frame_7_2_2() {
    let mut t = table();
    let mut out = Actions::new();
    for frame in 0..5 {
        t.enqueue(at(0), PEER, frame, &mut out);
    }
    assert_eq!(
        out,
        [
            NudAction::SolicitMulticast { target: PEER },
            NudAction::Dropped {
                target: PEER,
                frame: 0
            }
        ]
    );
    out.clear();
    t.handle_advertisement(at(5), PEER, advert(true, false, Some(MAC)), &mut out);
    let sent: Vec<u32> = out
        .iter()
        .filter_map(|a| match a {
            NudAction::Send { frame, .. } => Some(*frame),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [1, 2, 3, 4]);
}

#[test]
fn total_queue_bound_drops_the_oldest_frame_in_the_table() {
    let config = NudConfig {
        max_queued_total: 3,
        ..NudConfig::default()
    };
    let mut t: Table = NeighborTable::new(config, &mut TestRng(1));
    let mut out = Actions::new();
    t.enqueue(at(0), 1, 10, &mut out);
    t.enqueue(at(1), 2, 20, &mut out);
    t.enqueue(at(2), 2, 21, &mut out);
    out.clear();
    t.enqueue(at(3), 3, 30, &mut out);
    assert!(out.contains(&NudAction::Dropped {
        target: 1,
        frame: 10
    }));
    assert_eq!(t.queued_frames(), 3);
}

#[test]
fn solicited_advertisement_resolves_to_reachable_and_releases_frames_7_2_5() {
    let mut t = table();
    let mut out = Actions::new();
    t.enqueue(at(0), PEER, 1, &mut out);
    t.enqueue(at(0), PEER, 2, &mut out);
    out.clear();
    t.handle_advertisement(at(300), PEER, advert(true, false, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    assert_eq!(
        out,
        [
            NudAction::Send {
                target: PEER,
                link_addr: MAC,
                frame: 1
            },
            NudAction::Send {
                target: PEER,
                link_addr: MAC,
                frame: 2
            }
        ]
    );
    // The retransmission timer gave way to ReachableTime.
    assert_eq!(t.next_deadline(), Some(at(300) + t.reachable_time()));
}

#[test]
fn unsolicited_advertisement_resolves_to_stale_then_delay_when_frames_wait_7_2_5() {
    let mut t = table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    t.handle_advertisement(at(10), PEER, advert(false, true, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.next_deadline(), None);

    let mut t = table();
    t.enqueue(at(0), PEER, 9, &mut out);
    t.handle_advertisement(at(10), PEER, advert(false, true, Some(MAC)), &mut out);
    // Sending the queued frame from STALE is "the first packet" of section 7.3.3.
    assert_eq!(t.state(PEER), Some(NudState::Delay));
    assert_eq!(t.next_deadline(), Some(at(10) + DELAY_FIRST_PROBE_TIME));
}

#[test]
fn advertisement_without_target_link_address_does_not_resolve_7_2_5() {
    let mut t = table();
    let mut out = Actions::new();
    t.enqueue(at(0), PEER, 1, &mut out);
    out.clear();
    t.handle_advertisement(at(1), PEER, advert(true, true, None), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Incomplete));
    assert!(out.is_empty());
}

#[test]
fn advertisement_for_unknown_target_creates_nothing_7_2_5() {
    let mut t = table();
    let mut out = Actions::new();
    t.handle_advertisement(at(0), PEER, advert(true, true, Some(MAC)), &mut out);
    assert!(t.is_empty());
}

#[test]
fn reachable_becomes_stale_after_reachable_time_7_3_3() {
    let mut t = reachable_table();
    let rt = t.reachable_time();
    let mut out = Actions::new();
    t.handle_timers(at(0) + (rt - Duration::from_nanos(1)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    t.handle_timers(at(0) + rt, &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert!(out.is_empty(), "STALE sends nothing by itself");
}

#[test]
fn sending_from_stale_enters_delay_then_probe_after_five_seconds_7_3_3() {
    let mut t = stale_table();
    let mut out = Actions::new();
    assert_eq!(
        t.resolve(at(100), PEER, &mut out),
        Resolution::Resolved(MAC)
    );
    assert_eq!(t.state(PEER), Some(NudState::Delay));
    t.handle_timers(at(5099), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Delay));
    t.handle_timers(at(5100), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Probe));
    assert_eq!(
        out,
        [NudAction::SolicitUnicast {
            target: PEER,
            link_addr: MAC
        }]
    );
    // PROBE still sends to the cached address.
    assert_eq!(
        t.resolve(at(5200), PEER, &mut out),
        Resolution::Resolved(MAC)
    );
}

#[test]
fn upper_layer_confirmation_in_delay_avoids_probing_7_3_1() {
    let mut t = stale_table();
    let mut out = Actions::new();
    t.resolve(at(100), PEER, &mut out);
    t.confirm_reachable(at(2000), PEER);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    t.handle_timers(at(5100), &mut out);
    assert!(out.is_empty());
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
}

#[test]
fn upper_layer_confirmation_never_creates_or_completes_an_entry_7_3_1() {
    let mut t = table();
    t.confirm_reachable(at(0), PEER);
    assert!(t.is_empty());
    t.resolve(at(0), PEER, &mut vec![]);
    t.confirm_reachable(at(1), PEER);
    assert_eq!(t.state(PEER), Some(NudState::Incomplete));
}

#[test]
fn probe_sends_max_unicast_solicit_then_becomes_unreachable_keeping_the_address_rfc7048_3() {
    let mut t = stale_table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    t.handle_timers(at(5000), &mut out); // DELAY -> PROBE, probe 1
    t.handle_timers(at(6000), &mut out); // probe 2
    t.handle_timers(at(7000), &mut out); // probe 3
    let unicast = NudAction::SolicitUnicast {
        target: PEER,
        link_addr: MAC,
    };
    assert_eq!(out, vec![unicast; 3]);
    out.clear();
    t.handle_timers(at(7999), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Probe));
    t.handle_timers(at(8000), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Unreachable));
    assert!(out.is_empty(), "no traffic, no probe");
    assert_eq!(t.next_deadline(), None);
    // With no alternative, frames still go to the cached address; the first one resumes
    // probing with a multicast solicitation.
    assert_eq!(t.link_addr(PEER), Some(MAC));
    assert_eq!(
        t.resolve(at(9000), PEER, &mut out),
        Resolution::Resolved(MAC)
    );
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    assert_eq!(t.next_deadline(), Some(at(12_000)));
    assert_eq!(t.counters().unicast_probes, 3);
}

#[test]
fn unreachable_with_an_address_backs_off_and_pauses_without_traffic_rfc7048_4() {
    let mut t = stale_table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    for ms in [5000, 6000, 7000, 8000] {
        t.handle_timers(at(ms), &mut out);
    }
    out.clear();
    t.resolve(at(10_000), PEER, &mut out); // probe 1, next step 3 s
    t.resolve(at(11_000), PEER, &mut out); // traffic during the step
    out.clear();
    t.handle_timers(at(13_000), &mut out);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    assert_eq!(t.next_deadline(), Some(at(13_000 + 9_000)), "3 x 3 s");
    out.clear();
    t.handle_timers(at(22_000), &mut out);
    assert!(out.is_empty(), "no traffic in that step: probing pauses");
    assert_eq!(t.next_deadline(), None);
    assert_eq!(
        t.state(PEER),
        Some(NudState::Unreachable),
        "the entry is kept"
    );
    // A solicited answer at any time makes it REACHABLE again.
    t.handle_advertisement(at(30_000), PEER, advert(true, false, None), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
}

#[test]
fn answer_in_probe_restores_reachable_7_2_5() {
    let mut t = stale_table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    t.handle_timers(at(5000), &mut out);
    t.handle_advertisement(at(5010), PEER, advert(true, false, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    assert_eq!(t.next_deadline(), Some(at(5010) + t.reachable_time()));
}

#[test]
fn failed_resolution_backs_off_while_traffic_continues_then_is_forgotten_rfc7048_4() {
    let mut t = table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    for ms in [1000, 2000, 3000] {
        t.handle_timers(at(ms), &mut out);
    }
    assert_eq!(t.state(PEER), Some(NudState::Unreachable));
    out.clear();
    // One backoff step (RetransTimer x 3) after failing, the entry checks for traffic.
    assert_eq!(t.next_deadline(), Some(at(6000)));
    // Frames attempted meanwhile fail at once but keep the probing alive.
    assert_eq!(t.resolve(at(4000), PEER, &mut out), Resolution::Unreachable);
    t.enqueue(at(4000), PEER, 5, &mut out);
    assert_eq!(
        out,
        [NudAction::ResolutionFailed {
            target: PEER,
            frame: 5
        }]
    );
    out.clear();
    t.handle_timers(at(6000), &mut out);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    assert_eq!(t.next_deadline(), Some(at(9000)), "probe 1: 3 s");
    t.resolve(at(7000), PEER, &mut out);
    out.clear();
    t.handle_timers(at(9000), &mut out);
    assert_eq!(out, [NudAction::SolicitMulticast { target: PEER }]);
    assert_eq!(t.next_deadline(), Some(at(9000 + 9000)), "probe 2: 9 s");
    // No traffic during that step: the entry is deleted when it ends.
    out.clear();
    t.handle_timers(at(18_000), &mut out);
    assert!(out.is_empty());
    assert!(t.is_empty());
}

#[test]
fn unreachable_neighbour_answering_is_resolved_again_rfc7048_3() {
    let mut t = table();
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    for ms in [1000, 2000, 3000] {
        t.handle_timers(at(ms), &mut out);
    }
    t.handle_advertisement(at(3500), PEER, advert(true, true, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    assert_eq!(
        t.resolve(at(3600), PEER, &mut out),
        Resolution::Resolved(MAC)
    );
}

#[test]
fn solicitation_from_unknown_neighbour_creates_stale_entry_7_2_3() {
    let mut t = table();
    let mut out = Actions::new();
    t.handle_link_addr(at(0), PEER, MAC, &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.link_addr(PEER), Some(MAC));
    assert!(out.is_empty());
    assert_eq!(t.next_deadline(), None);
}

#[test]
fn solicitation_with_new_address_replaces_it_and_makes_entry_stale_7_2_3() {
    let mut t = reachable_table();
    let mut out = Actions::new();
    t.handle_link_addr(at(10), PEER, MAC, &mut out);
    assert_eq!(
        t.state(PEER),
        Some(NudState::Reachable),
        "same address: no change"
    );
    t.handle_link_addr(at(20), PEER, OTHER_MAC, &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.link_addr(PEER), Some(OTHER_MAC));
    assert_eq!(t.next_deadline(), None);
}

#[test]
fn solicitation_completes_resolution_and_releases_frames_7_2_3() {
    let mut t = table();
    let mut out = Actions::new();
    t.enqueue(at(0), PEER, 3, &mut out);
    out.clear();
    t.handle_link_addr(at(1), PEER, MAC, &mut out);
    assert_eq!(
        out,
        [NudAction::Send {
            target: PEER,
            link_addr: MAC,
            frame: 3
        }]
    );
    assert_eq!(t.state(PEER), Some(NudState::Delay));
}

#[test]
fn override_clear_with_different_address_only_demotes_reachable_7_2_5() {
    let mut t = reachable_table();
    let mut out = Actions::new();
    t.handle_advertisement(at(5), PEER, advert(true, false, Some(OTHER_MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.link_addr(PEER), Some(MAC), "the address must not change");

    let mut t = stale_table();
    t.handle_advertisement(at(5), PEER, advert(true, false, Some(OTHER_MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.link_addr(PEER), Some(MAC));
}

#[test]
fn override_set_with_different_address_replaces_it_7_2_5() {
    let mut t = reachable_table();
    let mut out = Actions::new();
    // Unsolicited and overriding (a host announcing a new MAC): STALE at the new one.
    t.handle_advertisement(at(5), PEER, advert(false, true, Some(OTHER_MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Stale));
    assert_eq!(t.link_addr(PEER), Some(OTHER_MAC));
    // Solicited and overriding: REACHABLE at the new one.
    t.handle_advertisement(at(6), PEER, advert(true, true, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Reachable));
    assert_eq!(t.link_addr(PEER), Some(MAC));
}

#[test]
fn unsolicited_advertisement_with_same_address_changes_nothing_7_2_5() {
    let mut t = stale_table();
    let mut out = Actions::new();
    t.resolve(at(1), PEER, &mut out); // DELAY
    t.handle_advertisement(at(2), PEER, advert(false, true, Some(MAC)), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Delay));
    t.handle_advertisement(at(3), PEER, advert(false, false, None), &mut out);
    assert_eq!(t.state(PEER), Some(NudState::Delay));
}

#[test]
fn router_flag_cleared_reports_the_lost_router_7_2_5() {
    let mut t = reachable_table();
    t.set_router(PEER);
    let mut out = Actions::new();
    let mut a = advert(true, true, Some(MAC));
    a.router = Some(true);
    t.handle_advertisement(at(1), PEER, a, &mut out);
    assert!(out.is_empty());
    a.router = Some(false);
    t.handle_advertisement(at(2), PEER, a, &mut out);
    assert_eq!(out, [NudAction::NoLongerRouter { neighbor: PEER }]);
    assert!(!t.is_router(PEER));
}

#[test]
fn arp_reply_keeps_router_flag_since_arp_has_none() {
    let mut t = reachable_table();
    t.set_router(PEER);
    let mut out = Actions::new();
    t.handle_solicited_reply(at(1), PEER, MAC, &mut out);
    assert!(t.is_router(PEER));
    assert!(out.is_empty());
}

#[test]
fn full_table_evicts_stale_before_reachable_and_incomplete() {
    let config = NudConfig {
        max_entries: 3,
        ..NudConfig::default()
    };
    let mut t: Table = NeighborTable::new(config, &mut TestRng(3));
    let mut out = Actions::new();
    t.enqueue(at(0), 1, 11, &mut out); // INCOMPLETE, oldest
    t.resolve(at(1), 2, &mut out);
    t.handle_advertisement(at(1), 2, advert(true, true, Some(MAC)), &mut out); // REACHABLE
    t.handle_link_addr(at(2), 3, OTHER_MAC, &mut out); // STALE, newest
    out.clear();
    t.handle_link_addr(at(3), 4, MAC, &mut out);
    assert_eq!(t.len(), 3);
    assert_eq!(t.state(3), None, "the STALE entry goes first");
    assert_eq!(t.state(1), Some(NudState::Incomplete));
    // The newest entry is STALE too, and still goes before the older REACHABLE one.
    t.handle_link_addr(at(4), 5, MAC, &mut out);
    assert_eq!(t.state(4), None);
    assert_eq!(t.counters().evictions, 2);
    assert!(out.is_empty(), "no frames were lost so far");
}

#[test]
fn evicting_an_incomplete_entry_drops_its_frames() {
    let config = NudConfig {
        max_entries: 1,
        ..NudConfig::default()
    };
    let mut t: Table = NeighborTable::new(config, &mut TestRng(3));
    let mut out = Actions::new();
    t.enqueue(at(0), 1, 11, &mut out);
    out.clear();
    t.resolve(at(1), 2, &mut out);
    assert_eq!(
        out,
        [
            NudAction::Dropped {
                target: 1,
                frame: 11
            },
            NudAction::SolicitMulticast { target: 2 }
        ]
    );
    assert_eq!(t.queued_frames(), 0);
    assert_eq!(
        t.next_deadline(),
        Some(at(1001)),
        "the evicted entry's timer is gone"
    );
}

#[test]
fn router_advertisement_timers_change_retransmission_and_reachable_time_6_3_4() {
    let mut t = table();
    let mut rng = TestRng(9);
    t.set_retrans_timer(Duration::from_millis(250));
    t.set_base_reachable_time(Duration::from_secs(10), &mut rng);
    assert!(t.reachable_time() >= Duration::from_secs(5));
    assert!(t.reachable_time() <= Duration::from_secs(15));
    let mut out = Actions::new();
    t.resolve(at(0), PEER, &mut out);
    assert_eq!(t.next_deadline(), Some(at(250)));
}

#[test]
fn works_with_real_address_types() {
    let mut t: NeighborTable<zerocast_wire::Ipv6Addr, Vec<u8>> =
        NeighborTable::new(NudConfig::default(), &mut TestRng(5));
    let peer = zerocast_wire::Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    let mut out = Vec::new();
    t.enqueue(at(0), peer, vec![1, 2, 3], &mut out);
    t.handle_advertisement(at(1), peer, advert(true, true, Some(MAC)), &mut out);
    assert!(matches!(out.last(), Some(NudAction::Send { frame, .. }) if frame == &[1, 2, 3]));
}

/// Random input sequences against the table's invariants: bounds hold, every queued frame
/// comes out exactly once (sent, failed or dropped) or is still queued, and each state has
/// exactly the timer RFC 4861 section 7.3.3 gives it.
mod properties {
    use super::*;
    use alloc::collections::BTreeSet;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Resolve(u8),
        Enqueue(u8),
        LinkAddr(u8, u8),
        Advert(u8, bool, bool, Option<u8>),
        Confirm(u8),
        Remove(u8),
        Advance(u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        // Six neighbours for a four-entry table, so eviction happens.
        let n = 0u8..6;
        prop_oneof![
            n.clone().prop_map(Op::Resolve),
            n.clone().prop_map(Op::Enqueue),
            (n.clone(), 0u8..3).prop_map(|(a, m)| Op::LinkAddr(a, m)),
            (
                n.clone(),
                any::<bool>(),
                any::<bool>(),
                proptest::option::of(0u8..3)
            )
                .prop_map(|(a, s, o, m)| Op::Advert(a, s, o, m)),
            n.clone().prop_map(Op::Confirm),
            n.prop_map(Op::Remove),
            (0u16..20_000).prop_map(Op::Advance),
        ]
    }

    fn mac(m: u8) -> MacAddr {
        MacAddr([2, 0, 0, 0, 1, m])
    }

    fn check(t: &Table, now: Instant) {
        assert!(t.len() <= t.config.max_entries);
        let queued: usize = t.entries.values().map(|e| e.queue.len()).sum();
        assert_eq!(queued, t.queued_frames());
        assert!(queued <= t.config.max_queued_total);
        let mut with_timer = 0;
        for (a, e) in &t.entries {
            assert!(e.queue.len() <= t.config.max_queued_per_entry);
            if !e.queue.is_empty() {
                assert_eq!(e.state, NudState::Incomplete, "only INCOMPLETE queues");
            }
            let timer = t.timers.deadline(a);
            if let Some(at) = timer {
                with_timer += 1;
                assert!(at > now, "a due timer was left armed");
            }
            match e.state {
                NudState::Incomplete => {
                    assert!(timer.is_some() && e.link_addr.is_none());
                }
                NudState::Reachable | NudState::Delay | NudState::Probe => {
                    assert!(timer.is_some() && e.link_addr.is_some(), "{:?}", e.state);
                }
                NudState::Stale => assert!(timer.is_none() && e.link_addr.is_some()),
                NudState::Unreachable => {
                    assert!(e.link_addr.is_some() || timer.is_some());
                }
            }
        }
        assert_eq!(with_timer, t.timers.len(), "a timer for a forgotten entry");
    }

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(4))]
        #[test]
        fn random_inputs_keep_bounds_timers_and_every_frame_accounted_for(
            ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 20 } else { 200 })
        ) {
            let config = NudConfig {
                max_entries: 4,
                max_queued_per_entry: 2,
                max_queued_total: 5,
                ..NudConfig::default()
            };
            let mut t: Table = NeighborTable::new(config, &mut TestRng(11));
            let mut now = Instant::ZERO;
            let mut next_frame = 0u32;
            let mut out_frames = BTreeSet::new();
            let mut out = Actions::new();
            for op in ops {
                match op {
                    Op::Resolve(a) => { t.resolve(now, a, &mut out); }
                    Op::Enqueue(a) => {
                        t.enqueue(now, a, next_frame, &mut out);
                        next_frame += 1;
                    }
                    Op::LinkAddr(a, m) => t.handle_link_addr(now, a, mac(m), &mut out),
                    Op::Advert(a, solicited, override_flag, m) => {
                        let advert = Advertisement {
                            link_addr: m.map(mac),
                            solicited,
                            override_flag,
                            router: Some(false),
                        };
                        t.handle_advertisement(now, a, advert, &mut out);
                    }
                    Op::Confirm(a) => t.confirm_reachable(now, a),
                    Op::Remove(a) => t.remove(a, &mut out),
                    Op::Advance(ms) => {
                        now += Duration::from_millis(u64::from(ms));
                        t.handle_timers(now, &mut out);
                    }
                }
                for action in out.drain(..) {
                    let frame = match action {
                        NudAction::Send { frame, .. }
                        | NudAction::ResolutionFailed { frame, .. }
                        | NudAction::Dropped { frame, .. } => frame,
                        _ => continue,
                    };
                    prop_assert!(out_frames.insert(frame), "frame {} came out twice", frame);
                }
                check(&t, now);
            }
            let still_queued: BTreeSet<u32> =
                t.entries.values().flat_map(|e| e.queue.iter().map(|(_, f)| *f)).collect();
            prop_assert!(out_frames.is_disjoint(&still_queued));
            prop_assert_eq!(out_frames.len() + still_queued.len(), next_frame as usize);
        }
    }
}
