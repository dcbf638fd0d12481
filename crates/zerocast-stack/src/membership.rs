//! Multicast group membership for hosts: the state machine IGMPv3 (RFC 3376 section 5)
//! and MLDv2 (RFC 9777 section 6) share.
//!
//! Both protocols describe the same host behaviour for two address families: joining or
//! leaving a group sends a State-Change Report at once and repeats it [Robustness Variable]
//! − 1 more times at random intervals up to the Unsolicited Report Interval; a General
//! Query is answered after a random delay up to its Maximum Response Time with a
//! Current-State Report of every group; a Group-Specific Query with one for that group.
//! [`igmp`](crate::igmp) and [`mld`](crate::ipv6::mld) add the wire formats.
//!
//! The stack joins groups only in Any-Source Multicast mode (EXCLUDE with no sources), the
//! socket API it offers, so the records used are CHANGE_TO_EXCLUDE_MODE (join),
//! CHANGE_TO_INCLUDE_MODE (leave), MODE_IS_EXCLUDE (current state) and MODE_IS_INCLUDE
//! (the answer to a Group-and-Source-Specific Query). Such a query (RFC 3376 section 5.2,
//! RFC 9777 section 6.2) records its sources with the group's pending answer: a second
//! source-specific query adds its sources to the pending list, a group-specific one (or a
//! pending group-specific answer) makes the answer group-specific; the answer is due at
//! the earlier of the two delays. When it fires, the record holds the queried sources the
//! interface's filter lets through ([`source_query_answer`]: IS_IN(B − A) under
//! EXCLUDE(A), IS_IN(A ∩ B) under INCLUDE(A)); with an ASM membership that is every
//! queried source. A pending list is bounded by [`MAX_QUERY_SOURCES`]; a query that would
//! overflow it makes the answer group-specific (a current-state record of the whole
//! group, which tells the querier everything the source-specific answer would). A query from an older-version
//! querier (IGMPv1/v2, MLDv1) switches the interface to older-version reports for the Older
//! Version Querier Present Timeout ([`Membership::older_version_querier`]); the protocol
//! modules then send the same records as IGMPv2 or MLDv1 reports and leave/done messages
//! (an IGMPv1 querier gets IGMPv2 reports too).
//!
//! [`Membership`] is pure and bounded: joins beyond [`MAX_GROUPS`] are refused. Socket
//! joins are reference-counted, so two sockets in one group make one membership.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::context::Rng;
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// Record type MODE_IS_INCLUDE (RFC 3376 section 4.2.12, RFC 9777 section 5.2.12): the
/// answer to a Group-and-Source-Specific Query.
pub const MODE_IS_INCLUDE: u8 = 1;
/// Record type MODE_IS_EXCLUDE (RFC 3376 section 4.2.12, RFC 9777 section 5.2.12).
pub const MODE_IS_EXCLUDE: u8 = 2;
/// Record type CHANGE_TO_INCLUDE_MODE: leaving an ASM group.
pub const CHANGE_TO_INCLUDE_MODE: u8 = 3;
/// Record type CHANGE_TO_EXCLUDE_MODE: joining an ASM group.
pub const CHANGE_TO_EXCLUDE_MODE: u8 = 4;
/// RFC 3376 section 8.1 and RFC 9777 section 9.1: the default Robustness Variable.
pub const DEFAULT_ROBUSTNESS: u8 = 2;
/// RFC 3376 section 8.11 and RFC 9777 section 9.11: the Unsolicited Report Interval.
pub const UNSOLICITED_REPORT_INTERVAL: Duration = Duration::from_secs(1);
/// Groups one interface can be in.
pub const MAX_GROUPS: usize = 64;
/// Sources a group's pending answer to Group-and-Source-Specific Queries remembers; more
/// make the answer group-specific. 64 sources fit one report of either protocol (IGMPv3:
/// 8 + 64 × 4 bytes, MLDv2: 20 + 64 × 16 bytes).
pub const MAX_QUERY_SOURCES: usize = 64;
/// RFC 3376 section 8.12 and RFC 9777 section 9.13: Older Version Querier Present Timeout,
/// Robustness Variable × Query Interval + Query Response Interval (2 × 125 s + 10 s).
pub const OLDER_VERSION_QUERIER_PRESENT_TIMEOUT: Duration = Duration::from_secs(260);

/// A group address of either family.
pub trait GroupAddr: Ord + Copy + core::fmt::Debug {
    /// Whether reports are sent for the group: not for the all-systems/all-nodes group nor
    /// (IPv6) for reserved and interface-local scopes.
    fn is_reported(&self) -> bool;
}

impl GroupAddr for zerocast_wire::Ipv4Addr {
    /// RFC 3376 section 5: no reports for 224.0.0.1, all-systems.
    fn is_reported(&self) -> bool {
        self.0 != [224, 0, 0, 1]
    }
}

impl GroupAddr for zerocast_wire::Ipv6Addr {
    /// RFC 9777 section 6: no reports for ff02::1, all-nodes, or scopes 0 and 1.
    fn is_reported(&self) -> bool {
        *self != crate::ipv6::ALL_NODES && self.multicast_scope().is_some_and(|s| s > 1)
    }
}

/// One record of a report: a record type, a group and its sources (empty but for
/// [`MODE_IS_INCLUDE`] answers to source-specific queries, see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord<G> {
    /// [`MODE_IS_EXCLUDE`], [`MODE_IS_INCLUDE`], [`CHANGE_TO_INCLUDE_MODE`] or
    /// [`CHANGE_TO_EXCLUDE_MODE`].
    pub record_type: u8,
    /// The group.
    pub group: G,
    /// The sources, in address order.
    pub sources: Vec<G>,
}

impl<G> GroupRecord<G> {
    /// A record without sources.
    ///
    /// ```
    /// use zerocast_stack::membership::{GroupRecord, MODE_IS_EXCLUDE};
    /// let r = GroupRecord::new(MODE_IS_EXCLUDE, zerocast_wire::Ipv4Addr([239, 1, 2, 3]));
    /// assert!(r.sources.is_empty());
    /// ```
    #[must_use]
    pub const fn new(record_type: u8, group: G) -> Self {
        GroupRecord {
            record_type,
            group,
            sources: Vec::new(),
        }
    }
}

/// An interface's filter for one group (RFC 3376 section 3.2, RFC 9777 section 4.2).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Filter<'a, G> {
    /// Traffic from these sources only.
    Include(&'a [G]),
    /// Traffic from every source but these (`Exclude(&[])`: an ASM membership).
    Exclude(&'a [G]),
}

/// The Current-State Record answering a Group-and-Source-Specific Query for the sources
/// `queried` (RFC 3376 section 5.2, RFC 9777 section 6.3 table): IS_IN(A ∩ B) under
/// INCLUDE(A), IS_IN(B − A) under EXCLUDE(A); `None` when no queried source passes the
/// filter (no answer is sent). `queried` and the filter's sources must be sorted.
///
/// ```
/// use zerocast_stack::membership::{source_query_answer, Filter, MODE_IS_INCLUDE};
/// let (g, s1, s2) = (239u8, 1u8, 2u8);
/// let r = source_query_answer(g, Filter::Exclude(&[s1]), &[s1, s2]).unwrap();
/// assert_eq!((r.record_type, r.sources), (MODE_IS_INCLUDE, vec![s2]));
/// assert_eq!(source_query_answer(g, Filter::Include(&[s1]), &[s2]), None);
/// ```
pub fn source_query_answer<G: Ord + Copy>(
    group: G,
    filter: Filter<'_, G>,
    queried: &[G],
) -> Option<GroupRecord<G>> {
    let sources: Vec<G> = match filter {
        Filter::Include(a) => queried
            .iter()
            .filter(|s| a.binary_search(s).is_ok())
            .copied()
            .collect(),
        Filter::Exclude(a) => queried
            .iter()
            .filter(|s| a.binary_search(s).is_err())
            .copied()
            .collect(),
    };
    (!sources.is_empty()).then_some(GroupRecord {
        record_type: MODE_IS_INCLUDE,
        group,
        sources,
    })
}

/// A query as the protocol modules decode it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query<G> {
    /// `None` for a General Query.
    pub group: Option<G>,
    /// The sources of a Group-and-Source-Specific Query (empty otherwise).
    pub sources: Vec<G>,
    /// The decoded Maximum Response Time.
    pub max_response: Duration,
    /// The querier's robustness variable (QRV), 0 when it did not set one.
    pub robustness: u8,
    /// An IGMPv1/v2 or MLDv1 query: reports must be in the older version for a while.
    pub older_version: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MembershipTimer<G> {
    /// The pending answer to a General Query.
    GeneralResponse,
    /// The pending answer to a Group-Specific or Group-and-Source-Specific Query (the
    /// group's `query_sources` say which).
    GroupResponse(G),
    /// The next retransmission of a group's State-Change Report.
    Retransmit(G),
}

#[derive(Clone, Debug)]
struct Group<G> {
    /// Sockets in the group; 0 while a leave is still being retransmitted.
    refs: u32,
    /// The state change being retransmitted, and how many sends remain.
    pending: Option<(u8, u8)>,
    /// While a `GroupResponse` is pending: the sources queried (sorted, at most
    /// [`MAX_QUERY_SOURCES`]); empty for a group-specific answer.
    query_sources: Vec<G>,
}

/// The groups of one interface and their timers.
///
/// ```
/// use zerocast_stack::context::Rng;
/// use zerocast_stack::membership::{GroupRecord, Membership, CHANGE_TO_EXCLUDE_MODE};
/// use zerocast_stack::time::Instant;
/// use zerocast_wire::Ipv4Addr;
/// # struct Counter(u64);
/// # impl Rng for Counter { fn next_u64(&mut self) -> u64 { self.0 += 1 << 60; self.0 } }
/// let mut m = Membership::new();
/// let group = Ipv4Addr([239, 1, 2, 3]);
/// let report = m.join(Instant::ZERO, group, &mut Counter(0)).unwrap();
/// assert_eq!(report, Some(GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, group)));
/// assert!(m.is_member(group));
/// ```
#[derive(Debug, Clone)]
pub struct Membership<G: GroupAddr> {
    groups: BTreeMap<G, Group<G>>,
    timers: TimerHeap<MembershipTimer<G>>,
    robustness: u8,
    /// When the last older-version query stops counting (RFC 3376 section 7.2.1).
    older_querier_until: Option<Instant>,
}

/// Why a join was refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TooManyGroups;

impl<G: GroupAddr> Default for Membership<G> {
    fn default() -> Self {
        Self::new()
    }
}

impl<G: GroupAddr> Membership<G> {
    /// No groups.
    #[must_use]
    pub fn new() -> Self {
        Membership {
            groups: BTreeMap::new(),
            timers: TimerHeap::new(),
            robustness: DEFAULT_ROBUSTNESS,
            older_querier_until: None,
        }
    }

    /// Whether an older-version querier was heard within the last
    /// [`OLDER_VERSION_QUERIER_PRESENT_TIMEOUT`] (RFC 3376 section 7.2.1, RFC 9777 section
    /// 8.2.1): reports must then be IGMPv2 / MLDv1 messages.
    #[must_use]
    pub fn older_version_querier(&self, now: Instant) -> bool {
        self.older_querier_until.is_some_and(|until| now < until)
    }

    /// Whether some socket (or the stack itself) is in `group`.
    #[must_use]
    pub fn is_member(&self, group: G) -> bool {
        self.groups.get(&group).is_some_and(|g| g.refs > 0)
    }

    /// The groups joined, in address order.
    pub fn groups(&self) -> impl Iterator<Item = G> + '_ {
        self.groups
            .iter()
            .filter(|(_, g)| g.refs > 0)
            .map(|(a, _)| *a)
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// Joins `group` once more. The first join returns the State-Change Report record to
    /// send now (RFC 3376 section 5.1, RFC 9777 section 6.1) and schedules its
    /// retransmissions; later joins only count (`Ok(None)`), as do joins of unreported
    /// groups.
    ///
    /// # Errors
    /// [`TooManyGroups`] when the interface is in [`MAX_GROUPS`] groups already.
    pub fn join(
        &mut self,
        now: Instant,
        group: G,
        rng: &mut impl Rng,
    ) -> Result<Option<GroupRecord<G>>, TooManyGroups> {
        if let Some(g) = self.groups.get_mut(&group) {
            g.refs += 1;
            if g.refs > 1 {
                return Ok(None);
            }
        } else {
            if self.groups.len() >= MAX_GROUPS {
                return Err(TooManyGroups);
            }
            self.groups.insert(
                group,
                Group {
                    refs: 1,
                    pending: None,
                    query_sources: Vec::new(),
                },
            );
        }
        Ok(self.state_change(now, group, CHANGE_TO_EXCLUDE_MODE, rng))
    }

    /// Leaves `group` once. The last leave returns the State-Change Report record to send
    /// now and schedules its retransmissions; `None` otherwise (or when not a member).
    pub fn leave(&mut self, now: Instant, group: G, rng: &mut impl Rng) -> Option<GroupRecord<G>> {
        let g = self.groups.get_mut(&group)?;
        if g.refs == 0 {
            return None;
        }
        g.refs -= 1;
        if g.refs > 0 {
            return None;
        }
        let record = self.state_change(now, group, CHANGE_TO_INCLUDE_MODE, rng);
        if record.is_none() {
            self.forget(group);
        }
        record
    }

    /// Starts (or restarts, replacing a pending one) the retransmission of a state change.
    fn state_change(
        &mut self,
        now: Instant,
        group: G,
        record_type: u8,
        rng: &mut impl Rng,
    ) -> Option<GroupRecord<G>> {
        self.timers.cancel(&MembershipTimer::GroupResponse(group));
        if !group.is_reported() {
            return None;
        }
        let retransmissions = self.robustness.saturating_sub(1);
        if let Some(g) = self.groups.get_mut(&group) {
            g.pending = (retransmissions > 0).then_some((record_type, retransmissions));
            g.query_sources = Vec::new();
        }
        if retransmissions > 0 {
            let delay = random_delay(UNSOLICITED_REPORT_INTERVAL, rng);
            self.timers
                .schedule(MembershipTimer::Retransmit(group), now + delay);
        } else {
            self.timers.cancel(&MembershipTimer::Retransmit(group));
        }
        Some(GroupRecord::new(record_type, group))
    }

    fn forget(&mut self, group: G) {
        self.groups.remove(&group);
        self.timers.cancel(&MembershipTimer::Retransmit(group));
        self.timers.cancel(&MembershipTimer::GroupResponse(group));
    }

    /// A query arrived (RFC 3376 section 5.2, RFC 9777 section 6.2). A General Query
    /// schedules one report of every group after a random delay up to its Maximum Response
    /// Time, unless one is already due sooner; a Group-Specific or Group-and-Source-Specific
    /// Query for a group we are in does the same for that group (and is covered by a
    /// sooner pending general answer), merging with the group's pending answer as the
    /// module docs say. A non-zero QRV becomes our Robustness Variable.
    pub fn handle_query(&mut self, now: Instant, query: Query<G>, rng: &mut impl Rng) {
        if query.robustness != 0 {
            self.robustness = query.robustness;
        }
        if query.older_version {
            self.older_querier_until = Some(now + OLDER_VERSION_QUERIER_PRESENT_TIMEOUT);
        }
        let at = now + random_delay(query.max_response, rng);
        // Rule 2: a general answer due no later covers this query.
        let general = self.timers.deadline(&MembershipTimer::GeneralResponse);
        if general.is_some_and(|g| g <= at) {
            return;
        }
        let Some(group) = query.group else {
            // Rule 3.
            self.timers.schedule(MembershipTimer::GeneralResponse, at);
            return;
        };
        // Rule 1: no state for the group, no answer.
        if !self.is_member(group) || !group.is_reported() {
            return;
        }
        let key = MembershipTimer::GroupResponse(group);
        let pending = self.timers.deadline(&key);
        let Some(g) = self.groups.get_mut(&group) else {
            return;
        };
        let mut sources = query.sources;
        sources.sort_unstable();
        sources.dedup();
        g.query_sources = match pending {
            // Rule 4: the first pending answer records the query's sources.
            None => sources,
            // Rule 5: a group-specific query or answer makes the answer group-specific.
            Some(_) if sources.is_empty() || g.query_sources.is_empty() => Vec::new(),
            // Rule 6: two source-specific queries: one answer for the union.
            Some(_) => {
                let mut union = core::mem::take(&mut g.query_sources);
                union.extend(sources);
                union.sort_unstable();
                union.dedup();
                union
            }
        };
        if g.query_sources.len() > MAX_QUERY_SOURCES {
            g.query_sources = Vec::new();
        }
        if pending.is_none_or(|d| d > at) {
            self.timers.schedule(key, at);
        }
    }

    /// Runs due timers and returns the records to send now, in one report.
    pub fn handle_timers(&mut self, now: Instant, rng: &mut impl Rng) -> Vec<GroupRecord<G>> {
        let mut records = Vec::new();
        while let Some(timer) = self.timers.pop_due(now) {
            match timer {
                MembershipTimer::GeneralResponse => {
                    records.extend(
                        self.groups
                            .iter()
                            .filter(|(a, g)| g.refs > 0 && a.is_reported())
                            .map(|(a, _)| GroupRecord::new(MODE_IS_EXCLUDE, *a)),
                    );
                }
                MembershipTimer::GroupResponse(group) => {
                    let Some(g) = self.groups.get_mut(&group).filter(|g| g.refs > 0) else {
                        continue;
                    };
                    let queried = core::mem::take(&mut g.query_sources);
                    if queried.is_empty() {
                        records.push(GroupRecord::new(MODE_IS_EXCLUDE, group));
                    } else {
                        // Every membership is ASM: the filter is EXCLUDE({}).
                        records.extend(source_query_answer(group, Filter::Exclude(&[]), &queried));
                    }
                }
                MembershipTimer::Retransmit(group) => {
                    let Some(g) = self.groups.get_mut(&group) else {
                        continue;
                    };
                    let Some((record_type, left)) = g.pending else {
                        continue;
                    };
                    records.push(GroupRecord::new(record_type, group));
                    if left > 1 {
                        g.pending = Some((record_type, left - 1));
                        let delay = random_delay(UNSOLICITED_REPORT_INTERVAL, rng);
                        self.timers
                            .schedule(MembershipTimer::Retransmit(group), now + delay);
                    } else {
                        g.pending = None;
                        if g.refs == 0 {
                            self.forget(group);
                        }
                    }
                }
            }
        }
        records
    }
}

/// Splits `records` into consecutive runs of at most `max_records` records whose `size`s
/// add up to at most `max_bytes` (a record larger than that alone makes a run of its own).
pub(crate) fn chunk_records<'a, G>(
    records: &'a [GroupRecord<G>],
    max_records: usize,
    size: impl Fn(&GroupRecord<G>) -> usize + 'a,
    max_bytes: usize,
) -> impl Iterator<Item = &'a [GroupRecord<G>]> + 'a {
    let mut rest = records;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && n < max_records {
            let b = size(&rest[n]);
            if n > 0 && bytes + b > max_bytes {
                break;
            }
            bytes += b;
            n += 1;
        }
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

/// A delay drawn uniformly from `[0, max]` at nanosecond resolution.
fn random_delay(max: Duration, rng: &mut impl Rng) -> Duration {
    let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.below(max_nanos.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::{Ipv4Addr, Ipv6Addr};

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

    const G: Ipv4Addr = Ipv4Addr([239, 1, 1, 1]);
    const H: Ipv4Addr = Ipv4Addr([239, 1, 1, 2]);

    fn at(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    /// Runs the timers until none is left, collecting (time of firing, records).
    fn drain(
        m: &mut Membership<Ipv4Addr>,
        rng: &mut TestRng,
    ) -> Vec<(Instant, Vec<GroupRecord<Ipv4Addr>>)> {
        let mut sent = Vec::new();
        while let Some(t) = m.next_deadline() {
            let records = m.handle_timers(t, rng);
            if !records.is_empty() {
                sent.push((t, records));
            }
        }
        sent
    }

    #[test]
    fn join_reports_at_once_and_retransmits_robustness_minus_one_times_within_the_interval_3376_5_1(
    ) {
        let mut rng = TestRng(1);
        let mut m = Membership::new();
        let now = at(500);
        let first = m.join(now, G, &mut rng).unwrap();
        assert_eq!(first, Some(GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, G)));
        let later = drain(&mut m, &mut rng);
        assert_eq!(later.len(), usize::from(DEFAULT_ROBUSTNESS) - 1);
        let (t, records) = &later[0];
        assert!(*t >= now && *t <= now + UNSOLICITED_REPORT_INTERVAL);
        assert_eq!(records, &[GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, G)]);
    }

    #[test]
    fn second_join_and_first_leave_only_count_3376_5_1() {
        let mut rng = TestRng(2);
        let mut m = Membership::new();
        m.join(at(0), G, &mut rng).unwrap();
        assert_eq!(m.join(at(0), G, &mut rng), Ok(None));
        assert_eq!(m.leave(at(0), G, &mut rng), None);
        assert!(m.is_member(G));
        let last = m.leave(at(0), G, &mut rng);
        assert_eq!(last, Some(GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)));
        assert!(!m.is_member(G));
        assert_eq!(m.leave(at(0), G, &mut rng), None, "not a member any more");
    }

    #[test]
    fn leave_replaces_a_pending_join_retransmission_and_then_forgets_the_group_3376_5_1() {
        let mut rng = TestRng(3);
        let mut m = Membership::new();
        m.join(at(0), G, &mut rng).unwrap();
        m.leave(at(0), G, &mut rng);
        let later = drain(&mut m, &mut rng);
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].1, [GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)]);
        assert_eq!(m.groups().count(), 0);
        assert_eq!(m.next_deadline(), None);
    }

    #[test]
    fn general_query_is_answered_with_every_group_within_max_response_time_3376_5_2() {
        let mut rng = TestRng(4);
        let mut m = Membership::new();
        m.join(at(0), G, &mut rng).unwrap();
        m.join(at(0), H, &mut rng).unwrap();
        drain(&mut m, &mut rng);
        let q = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::from_secs(10),
            robustness: 2,
            older_version: false,
        };
        m.handle_query(at(5000), q, &mut rng);
        let answers = drain(&mut m, &mut rng);
        assert_eq!(answers.len(), 1);
        let (t, records) = &answers[0];
        assert!(*t >= at(5000) && *t <= at(15_000));
        assert_eq!(
            records,
            &[
                GroupRecord::new(MODE_IS_EXCLUDE, G),
                GroupRecord::new(MODE_IS_EXCLUDE, H)
            ]
        );
    }

    #[test]
    fn group_specific_query_is_answered_for_that_group_only_and_not_for_others_3376_5_2() {
        let mut rng = TestRng(5);
        let mut m = Membership::new();
        m.join(at(0), G, &mut rng).unwrap();
        drain(&mut m, &mut rng);
        let q = |group| Query {
            group: Some(group),
            sources: Vec::new(),
            max_response: Duration::from_secs(1),
            robustness: 0,
            older_version: false,
        };
        m.handle_query(at(0), q(H), &mut rng);
        assert_eq!(m.next_deadline(), None, "not in H: no answer");
        m.handle_query(at(0), q(G), &mut rng);
        let answers = drain(&mut m, &mut rng);
        assert_eq!(answers[0].1, [GroupRecord::new(MODE_IS_EXCLUDE, G)]);
    }

    #[test]
    fn pending_general_answer_due_sooner_covers_a_later_query_3376_5_2() {
        let mut rng = TestRng(6);
        let mut m = Membership::new();
        m.join(at(0), G, &mut rng).unwrap();
        drain(&mut m, &mut rng);
        let general = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::ZERO,
            robustness: 0,
            older_version: false,
        };
        m.handle_query(at(100), general, &mut rng);
        let due = m.next_deadline();
        assert_eq!(due, Some(at(100)));
        let specific = Query {
            group: Some(G),
            sources: Vec::new(),
            max_response: Duration::from_secs(5),
            robustness: 0,
            older_version: false,
        };
        m.handle_query(at(100), specific, &mut rng);
        assert_eq!(drain(&mut m, &mut rng).len(), 1, "one answer, not two");
    }

    #[test]
    fn querier_robustness_sets_the_retransmission_count_3376_5_2() {
        let mut rng = TestRng(7);
        let mut m = Membership::new();
        m.handle_query(
            at(0),
            Query {
                group: None,
                sources: Vec::new(),
                max_response: Duration::ZERO,
                robustness: 4,
                older_version: false,
            },
            &mut rng,
        );
        drain(&mut m, &mut rng);
        m.join(at(0), G, &mut rng).unwrap();
        assert_eq!(drain(&mut m, &mut rng).len(), 3);
    }

    #[test]
    fn older_version_query_switches_reports_for_the_present_timeout_3376_7_2_1() {
        let mut rng = TestRng(10);
        let mut m: Membership<Ipv4Addr> = Membership::new();
        assert!(!m.older_version_querier(at(0)));
        let v2 = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::from_secs(10),
            robustness: 0,
            older_version: true,
        };
        m.handle_query(at(1000), v2.clone(), &mut rng);
        assert!(m.older_version_querier(at(1000)));
        let end = at(1000) + OLDER_VERSION_QUERIER_PRESENT_TIMEOUT;
        let just_before =
            at(1000) + (OLDER_VERSION_QUERIER_PRESENT_TIMEOUT - Duration::from_nanos(1));
        assert!(m.older_version_querier(just_before));
        assert!(!m.older_version_querier(end));
        // A v3 query does not extend it.
        let v3 = Query {
            older_version: false,
            ..v2
        };
        m.handle_query(at(2000), v3, &mut rng);
        assert!(!m.older_version_querier(end));
    }

    #[test]
    fn all_systems_and_all_nodes_groups_are_never_reported_3376_5_and_9777_6() {
        let mut rng = TestRng(8);
        let mut m = Membership::new();
        assert_eq!(m.join(at(0), Ipv4Addr([224, 0, 0, 1]), &mut rng), Ok(None));
        assert!(m.is_member(Ipv4Addr([224, 0, 0, 1])));
        m.handle_query(
            at(0),
            Query {
                group: None,
                sources: Vec::new(),
                max_response: Duration::ZERO,
                robustness: 0,
                older_version: false,
            },
            &mut rng,
        );
        assert!(drain(&mut m, &mut rng).is_empty());

        let mut m6 = Membership::new();
        assert_eq!(m6.join(at(0), crate::ipv6::ALL_NODES, &mut rng), Ok(None));
        let interface_local = Ipv6Addr([0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(m6.join(at(0), interface_local, &mut rng), Ok(None));
        let solicited =
            Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]).solicited_node();
        assert!(
            m6.join(at(0), solicited, &mut rng).unwrap().is_some(),
            "solicited-node groups are reported"
        );
    }

    /// Always draws a quarter of the range: `random_delay(max)` is exactly
    /// `(max + 1 ns) / 4`, rounded down, so the tests can name each deadline.
    struct Quarter;
    impl Rng for Quarter {
        fn next_u64(&mut self) -> u64 {
            1 << 62
        }
    }

    const S1: Ipv4Addr = Ipv4Addr([10, 0, 0, 1]);
    const S2: Ipv4Addr = Ipv4Addr([10, 0, 0, 2]);
    const S3: Ipv4Addr = Ipv4Addr([10, 0, 0, 3]);

    fn source_query(group: Ipv4Addr, sources: &[Ipv4Addr], max_ms: u64) -> Query<Ipv4Addr> {
        Query {
            group: Some(group),
            sources: sources.to_vec(),
            max_response: Duration::from_millis(max_ms),
            robustness: 0,
            older_version: false,
        }
    }

    /// A membership in G (and H) with the join's retransmissions done.
    fn member_of_g_and_h() -> Membership<Ipv4Addr> {
        let mut m = Membership::new();
        m.join(at(0), G, &mut Quarter).unwrap();
        m.join(at(0), H, &mut Quarter).unwrap();
        while let Some(t) = m.next_deadline() {
            m.handle_timers(t, &mut Quarter);
        }
        m
    }

    fn include(group: Ipv4Addr, sources: &[Ipv4Addr]) -> GroupRecord<Ipv4Addr> {
        GroupRecord {
            record_type: MODE_IS_INCLUDE,
            group,
            sources: sources.to_vec(),
        }
    }

    #[test]
    fn source_specific_query_is_answered_with_is_in_of_its_sources_at_the_drawn_delay_3376_5_2() {
        let mut m = member_of_g_and_h();
        // Max Resp 2 s: the delay drawn is (2 s + 1 ns) / 4 = 500 ms.
        m.handle_query(at(1000), source_query(G, &[S2, S1, S2], 2000), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(1500)));
        assert!(m.handle_timers(at(1499), &mut Quarter).is_empty());
        // EXCLUDE({}) state, queried {S1, S2}: IS_IN({S1, S2} - {}), sorted, no duplicate.
        assert_eq!(
            m.handle_timers(at(1500), &mut Quarter),
            [include(G, &[S1, S2])]
        );
        assert_eq!(m.next_deadline(), None);
        // The sources were the pending answer's: a later group-specific query is plain.
        m.handle_query(at(2000), source_query(G, &[], 2000), &mut Quarter);
        assert_eq!(
            m.handle_timers(at(2500), &mut Quarter),
            [GroupRecord::new(MODE_IS_EXCLUDE, G)]
        );
    }

    #[test]
    fn second_source_specific_query_adds_its_sources_and_keeps_the_earlier_deadline_3376_5_2_rule_6(
    ) {
        let mut m = member_of_g_and_h();
        m.handle_query(at(0), source_query(G, &[S1], 2000), &mut Quarter);
        // 100 ms later, Max Resp 10 s: drawn 2.5 s, so the pending 500 ms stays.
        m.handle_query(at(100), source_query(G, &[S3, S1], 10_000), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(500)));
        // A third with Max Resp 800 ms is due sooner: at 100 + 200 ms.
        m.handle_query(at(100), source_query(G, &[S2], 800), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(300)));
        assert_eq!(
            m.handle_timers(at(300), &mut Quarter),
            [include(G, &[S1, S2, S3])],
            "one answer for the union"
        );
        assert_eq!(m.next_deadline(), None);
    }

    #[test]
    fn group_specific_query_or_answer_pending_makes_the_answer_group_specific_3376_5_2_rule_5() {
        // A source-specific answer pending, then a group-specific query.
        let mut m = member_of_g_and_h();
        m.handle_query(at(0), source_query(G, &[S1], 2000), &mut Quarter);
        m.handle_query(at(0), source_query(G, &[], 4000), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(500)), "the earlier deadline");
        assert_eq!(
            m.handle_timers(at(500), &mut Quarter),
            [GroupRecord::new(MODE_IS_EXCLUDE, G)]
        );
        // A group-specific answer pending, then a source-specific query with a sooner
        // delay: still group-specific, now due at 100 ms.
        m.handle_query(at(0), source_query(G, &[], 2000), &mut Quarter);
        m.handle_query(at(0), source_query(G, &[S1], 400), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(100)));
        assert_eq!(
            m.handle_timers(at(100), &mut Quarter),
            [GroupRecord::new(MODE_IS_EXCLUDE, G)]
        );
    }

    #[test]
    fn source_specific_queries_of_two_groups_are_answered_separately_3376_5_2() {
        let mut m = member_of_g_and_h();
        m.handle_query(at(0), source_query(G, &[S1], 2000), &mut Quarter);
        m.handle_query(at(0), source_query(H, &[S2], 2000), &mut Quarter);
        let mut got = m.handle_timers(at(500), &mut Quarter);
        got.sort_by_key(|r| r.group);
        assert_eq!(got, [include(G, &[S1]), include(H, &[S2])]);
    }

    #[test]
    fn source_specific_query_for_a_group_we_are_not_in_or_covered_by_a_general_answer_is_not_answered_3376_5_2(
    ) {
        let mut m = member_of_g_and_h();
        let other = Ipv4Addr([239, 7, 7, 7]);
        m.handle_query(at(0), source_query(other, &[S1], 2000), &mut Quarter);
        assert_eq!(m.next_deadline(), None, "rule 1: no state, no answer");
        let general = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::from_millis(400),
            robustness: 0,
            older_version: false,
        };
        m.handle_query(at(0), general, &mut Quarter);
        m.handle_query(at(0), source_query(G, &[S1], 2000), &mut Quarter);
        assert_eq!(
            m.handle_timers(at(100), &mut Quarter),
            [
                GroupRecord::new(MODE_IS_EXCLUDE, G),
                GroupRecord::new(MODE_IS_EXCLUDE, H)
            ],
            "rule 2: the general answer due at 100 ms covers it"
        );
        assert_eq!(m.next_deadline(), None);
    }

    #[test]
    fn too_many_queried_sources_make_the_answer_group_specific() {
        let mut m = member_of_g_and_h();
        let many: Vec<Ipv4Addr> = (0..=MAX_QUERY_SOURCES as u8)
            .map(|i| Ipv4Addr([10, 1, 0, i]))
            .collect();
        m.handle_query(at(0), source_query(G, &many[..40], 2000), &mut Quarter);
        m.handle_query(at(0), source_query(G, &many[40..], 2000), &mut Quarter);
        assert_eq!(
            m.handle_timers(at(500), &mut Quarter),
            [GroupRecord::new(MODE_IS_EXCLUDE, G)]
        );
        // Exactly the bound still gets a source-specific answer.
        m.handle_query(
            at(0),
            source_query(G, &many[..MAX_QUERY_SOURCES], 2000),
            &mut Quarter,
        );
        let got = m.handle_timers(at(500), &mut Quarter);
        assert_eq!(got, [include(G, &many[..MAX_QUERY_SOURCES])]);
    }

    #[test]
    fn leaving_cancels_a_pending_source_specific_answer_3376_5_1() {
        let mut m = member_of_g_and_h();
        m.handle_query(at(0), source_query(G, &[S1], 2000), &mut Quarter);
        let leave = m.leave(at(10), G, &mut Quarter);
        assert_eq!(leave, Some(GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)));
        // Only the leave's retransmission follows, at 10 ms + (1 s + 1 ns) / 4.
        assert_eq!(m.next_deadline(), Some(at(260)));
        assert_eq!(
            m.handle_timers(at(500), &mut Quarter),
            [GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)]
        );
    }

    #[test]
    fn current_state_table_for_source_specific_answers_3376_5_2() {
        let g = Ipv4Addr([239, 1, 1, 1]);
        // INCLUDE(A), queried B: IS_IN(A * B).
        assert_eq!(
            source_query_answer(g, Filter::Include(&[S1, S2]), &[S2, S3]),
            Some(include(g, &[S2]))
        );
        assert_eq!(source_query_answer(g, Filter::Include(&[S1]), &[S3]), None);
        // EXCLUDE(A), queried B: IS_IN(B - A).
        assert_eq!(
            source_query_answer(g, Filter::Exclude(&[S1]), &[S1, S3]),
            Some(include(g, &[S3]))
        );
        assert_eq!(
            source_query_answer(g, Filter::Exclude(&[S1, S2]), &[S1, S2]),
            None,
            "every queried source excluded: no answer"
        );
        assert_eq!(
            source_query_answer(g, Filter::Exclude(&[]), &[S1, S2]),
            Some(include(g, &[S1, S2]))
        );
    }

    #[test]
    fn records_are_chunked_by_count_and_bytes() {
        let r = |n: usize| GroupRecord {
            record_type: MODE_IS_INCLUDE,
            group: G,
            sources: alloc::vec![S1; n],
        };
        let records = [r(0), r(10), r(5), r(0), r(0)];
        let sizes = |rs: &[GroupRecord<Ipv4Addr>]| -> Vec<usize> {
            chunk_records(rs, 3, |r| 8 + 4 * r.sources.len(), 60)
                .map(<[_]>::len)
                .collect()
        };
        // 8 + 48 = 56 (28 more would pass 60); then 28 + 8 + 8 = 44 (the count limit).
        assert_eq!(sizes(&records), [2, 3]);
        assert_eq!(sizes(&[r(20)]), [1], "an oversized record goes alone");
        assert!(sizes(&[]).is_empty());
    }

    #[test]
    fn joins_are_bounded() {
        let mut rng = TestRng(9);
        let mut m = Membership::new();
        for i in 0..MAX_GROUPS {
            m.join(at(0), Ipv4Addr([239, 0, 0, i as u8]), &mut rng)
                .unwrap();
        }
        assert_eq!(
            m.join(at(0), Ipv4Addr([239, 9, 9, 9]), &mut rng),
            Err(TooManyGroups)
        );
        assert_eq!(
            m.join(at(0), Ipv4Addr([239, 0, 0, 0]), &mut rng),
            Ok(None),
            "a member may join again"
        );
    }
}
