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
//! Each group has a filter (RFC 3376 section 3.2, RFC 9777 section 4.2): a mode, INCLUDE or
//! EXCLUDE, and a bounded source list. Sockets join in Any-Source Multicast mode,
//! EXCLUDE({}); the embedder can also set a source filter of its own
//! ([`Membership::set_source_filter`]: INCLUDE({S1, S2}) is a Source-Specific Multicast
//! join). Merged as section 3.2 says, any any-source join makes the interface state
//! EXCLUDE({}). A change of the state sends a State-Change Report built from the
//! difference (section 5.1's table): a filter-mode change gives CHANGE_TO_EXCLUDE_MODE or
//! CHANGE_TO_INCLUDE_MODE with the new list, a source-list change ALLOW_NEW_SOURCES and
//! BLOCK_OLD_SOURCES. Changes made before the earlier report's retransmissions end are
//! merged into it: the next [Robustness Variable] reports after a filter-mode change carry
//! the mode record, and every changed source appears in [Robustness Variable] reports.
//!
//! A Group-and-Source-Specific Query (RFC 3376 section 5.2,
//! RFC 9777 section 6.2) records its sources with the group's pending answer: a second
//! source-specific query adds its sources to the pending list, a group-specific one (or a
//! pending group-specific answer) makes the answer group-specific; the answer is due at
//! the earlier of the two delays. When it fires, the record holds the queried sources the
//! interface's filter lets through ([`source_query_answer`]: IS_IN(B − A) under
//! EXCLUDE(A), IS_IN(A ∩ B) under INCLUDE(A)), and nothing is sent when none passes.
//! General and group-specific answers are MODE_IS_EXCLUDE or MODE_IS_INCLUDE with the
//! group's list. A pending list is bounded by [`MAX_QUERY_SOURCES`]; a query that would
//! overflow it makes the answer group-specific (a current-state record of the whole
//! group, which tells the querier everything the source-specific answer would). A query from an older-version
//! querier (IGMPv1/v2, MLDv1) switches the interface to older-version reports for the Older
//! Version Querier Present Timeout ([`Membership::older_version_querier`]); the protocol
//! modules then send one IGMPv2 or MLDv1 report or leave/done message per group the
//! records name ([`Membership::older_version_records`]: those versions have no source
//! lists; an IGMPv1 querier gets IGMPv2 reports too).
//!
//! [`Membership`] is pure and bounded: joins beyond [`MAX_GROUPS`] groups and filters beyond
//! [`MAX_SOURCES`] sources are refused. Socket joins are reference-counted, so two sockets
//! in one group make one membership.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::context::Rng;
use crate::time::{Duration, Instant};
use crate::timer::TimerHeap;

/// Record type MODE_IS_INCLUDE (RFC 3376 section 4.2.12, RFC 9777 section 5.2.12): the
/// current state of a source-specific membership, and the answer to a
/// Group-and-Source-Specific Query.
pub const MODE_IS_INCLUDE: u8 = 1;
/// Record type MODE_IS_EXCLUDE (RFC 3376 section 4.2.12, RFC 9777 section 5.2.12).
pub const MODE_IS_EXCLUDE: u8 = 2;
/// Record type CHANGE_TO_INCLUDE_MODE: the filter mode became INCLUDE (with no sources:
/// leaving an ASM group).
pub const CHANGE_TO_INCLUDE_MODE: u8 = 3;
/// Record type CHANGE_TO_EXCLUDE_MODE: the filter mode became EXCLUDE (with no sources:
/// joining an ASM group).
pub const CHANGE_TO_EXCLUDE_MODE: u8 = 4;
/// Record type ALLOW_NEW_SOURCES (RFC 3376 section 4.2.12, RFC 9777 section 5.2.12):
/// sources the interface now accepts, with the filter mode unchanged.
pub const ALLOW_NEW_SOURCES: u8 = 5;
/// Record type BLOCK_OLD_SOURCES: sources the interface no longer accepts.
pub const BLOCK_OLD_SOURCES: u8 = 6;
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
/// Sources one group's source filter can hold ([`Membership::set_source_filter`]); a
/// filter with more is refused with [`SourceFilterError::TooManySources`]. As for
/// [`MAX_QUERY_SOURCES`], any record of that many sources fits one report.
pub const MAX_SOURCES: usize = 64;
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

/// One record of a report: a record type, a group and its sources (empty for any-source
/// joins and leaves, see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord<G> {
    /// [`MODE_IS_EXCLUDE`], [`MODE_IS_INCLUDE`], [`CHANGE_TO_INCLUDE_MODE`],
    /// [`CHANGE_TO_EXCLUDE_MODE`], [`ALLOW_NEW_SOURCES`] or [`BLOCK_OLD_SOURCES`].
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

/// The filter mode of a source-specific membership (RFC 3376 section 3.1, RFC 9777
/// section 4.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FilterMode {
    /// Traffic from the listed sources only (Source-Specific Multicast).
    Include,
    /// Traffic from every source but the listed ones.
    Exclude,
}

/// Why [`Membership::set_source_filter`] refused a filter.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SourceFilterError {
    /// The interface is in [`MAX_GROUPS`] groups already.
    TooManyGroups,
    /// More than [`MAX_SOURCES`] distinct sources.
    TooManySources,
    /// Not a multicast group, or no such device.
    InvalidGroup,
    /// A source of the other address family, or not a unicast address.
    InvalidSource,
}

impl core::fmt::Display for SourceFilterError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SourceFilterError::TooManyGroups => {
                write!(f, "the interface is in {MAX_GROUPS} groups already")
            }
            SourceFilterError::TooManySources => {
                write!(f, "a source filter holds at most {MAX_SOURCES} sources")
            }
            SourceFilterError::InvalidGroup => {
                write!(f, "not a multicast group on a known device")
            }
            SourceFilterError::InvalidSource => {
                write!(
                    f,
                    "a source must be a unicast address of the group's family"
                )
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Group<G> {
    /// Any-source joins (sockets, the stack itself): each is EXCLUDE({}).
    refs: u32,
    /// The embedder's source-specific join, if any (sorted, at most [`MAX_SOURCES`];
    /// never INCLUDE({}), which is no join).
    own: Option<(FilterMode, Vec<G>)>,
    /// State-Change Reports still to carry a filter-mode-change record (RFC 3376 section
    /// 5.1: the next [Robustness Variable] reports after a filter-mode change do).
    mode_reports_left: u8,
    /// Sources with a pending ALLOW, and the reports each must still appear in.
    allow: Vec<(G, u8)>,
    /// Sources with a pending BLOCK, likewise.
    block: Vec<(G, u8)>,
    /// While a `GroupResponse` is pending: the sources queried (sorted, at most
    /// [`MAX_QUERY_SOURCES`]); empty for a group-specific answer.
    query_sources: Vec<G>,
}

impl<G: GroupAddr> Group<G> {
    const fn new() -> Self {
        Group {
            refs: 0,
            own: None,
            mode_reports_left: 0,
            allow: Vec::new(),
            block: Vec::new(),
            query_sources: Vec::new(),
        }
    }

    /// The interface state (RFC 3376 section 3.2): any any-source join makes it
    /// EXCLUDE({}) — the intersection of the EXCLUDE lists, one of them empty, minus the
    /// INCLUDE lists is empty — else the embedder's filter, else INCLUDE({}) (no state).
    fn state(&self) -> Filter<'_, G> {
        match &self.own {
            _ if self.refs > 0 => Filter::Exclude(&[]),
            Some((FilterMode::Exclude, s)) => Filter::Exclude(s),
            Some((FilterMode::Include, s)) => Filter::Include(s),
            None => Filter::Include(&[]),
        }
    }

    fn is_member(&self) -> bool {
        self.state() != Filter::Include(&[])
    }

    fn has_pending_change(&self) -> bool {
        self.mode_reports_left > 0 || !self.allow.is_empty() || !self.block.is_empty()
    }

    /// Records the difference between `old` and the current state for retransmission
    /// (RFC 3376 section 5.1 table, RFC 9777 section 6.1 table): a filter-mode change
    /// starts `robustness` filter-mode-change reports and drops the pending source
    /// changes, which the TO_IN/TO_EX record's full list supersedes; a source-list change
    /// gives each changed source `robustness` more reports, moving it between ALLOW and
    /// BLOCK if it was pending in the other. Returns whether anything changed.
    fn note_change(&mut self, old: (bool, Vec<G>), robustness: u8) -> bool {
        let (old_exclude, old_sources) = old;
        let (new_exclude, new_sources) = match self.state() {
            Filter::Exclude(s) => (true, s.to_vec()),
            Filter::Include(s) => (false, s.to_vec()),
        };
        if old_exclude != new_exclude {
            self.mode_reports_left = robustness;
            self.allow.clear();
            self.block.clear();
            return true;
        }
        let added = difference(&new_sources, &old_sources);
        let removed = difference(&old_sources, &new_sources);
        // INCLUDE: added sources are allowed; EXCLUDE: added sources are blocked.
        let (allowed, blocked) = if new_exclude {
            (removed, added)
        } else {
            (added, removed)
        };
        for s in &allowed {
            self.block.retain(|(b, _)| b != s);
            set_count(&mut self.allow, *s, robustness);
        }
        for s in &blocked {
            self.allow.retain(|(a, _)| a != s);
            set_count(&mut self.block, *s, robustness);
        }
        !allowed.is_empty() || !blocked.is_empty()
    }

    /// The records of the next State-Change Report for `group`, counting it against the
    /// pending changes (RFC 3376 section 5.1): while filter-mode-change reports are due,
    /// a TO_EX/TO_IN record of the current list; after them, ALLOW and BLOCK records of
    /// the sources still pending (each omitted when empty).
    fn next_change_report(&mut self, group: G) -> Vec<GroupRecord<G>> {
        if self.mode_reports_left > 0 {
            self.mode_reports_left -= 1;
            let (record_type, sources) = match self.state() {
                Filter::Exclude(s) => (CHANGE_TO_EXCLUDE_MODE, s.to_vec()),
                Filter::Include(s) => (CHANGE_TO_INCLUDE_MODE, s.to_vec()),
            };
            return alloc::vec![GroupRecord {
                record_type,
                group,
                sources
            }];
        }
        let mut records = Vec::new();
        for (record_type, pending) in [
            (ALLOW_NEW_SOURCES, &mut self.allow),
            (BLOCK_OLD_SOURCES, &mut self.block),
        ] {
            if pending.is_empty() {
                continue;
            }
            let mut sources: Vec<G> = pending.iter().map(|(s, _)| *s).collect();
            sources.sort_unstable();
            for entry in pending.iter_mut() {
                entry.1 -= 1;
            }
            pending.retain(|(_, left)| *left > 0);
            // Quick successive changes can leave up to Robustness Variable × MAX_SOURCES
            // sources pending; records of at most MAX_SOURCES each fit a report apiece
            // (RFC 3376 section 4.2.16: split a record that does not fit).
            records.extend(sources.chunks(MAX_SOURCES).map(|chunk| GroupRecord {
                record_type,
                group,
                sources: chunk.to_vec(),
            }));
        }
        records
    }

    /// The Current-State Record of the group (RFC 3376 section 4.2.12): IS_EX of the
    /// exclude list or IS_IN of the include list; none without state.
    fn current_state(&self, group: G) -> Option<GroupRecord<G>> {
        let (record_type, sources) = match self.state() {
            Filter::Exclude(s) => (MODE_IS_EXCLUDE, s),
            Filter::Include([]) => return None,
            Filter::Include(s) => (MODE_IS_INCLUDE, s),
        };
        Some(GroupRecord {
            record_type,
            group,
            sources: sources.to_vec(),
        })
    }
}

/// `a − b` of two sorted lists.
fn difference<G: Ord + Copy>(a: &[G], b: &[G]) -> Vec<G> {
    a.iter()
        .filter(|s| b.binary_search(s).is_err())
        .copied()
        .collect()
}

fn set_count<G: PartialEq>(pending: &mut Vec<(G, u8)>, source: G, count: u8) {
    match pending.iter_mut().find(|(s, _)| *s == source) {
        Some(entry) => entry.1 = count,
        None => pending.push((source, count)),
    }
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
/// assert_eq!(report, [GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, group)]);
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

    /// Whether the interface has reception state for `group`: some any-source join (a
    /// socket or the stack itself) or a source filter other than INCLUDE({}).
    #[must_use]
    pub fn is_member(&self, group: G) -> bool {
        self.groups.get(&group).is_some_and(Group::is_member)
    }

    /// The interface's filter for `group` (RFC 3376 section 3.2): EXCLUDE({}) while any
    /// any-source join holds, else the one [`set_source_filter`](Self::set_source_filter)
    /// set, else INCLUDE({}).
    ///
    /// ```
    /// use zerocast_stack::membership::{Filter, Membership};
    /// let m: Membership<zerocast_wire::Ipv4Addr> = Membership::new();
    /// assert_eq!(m.filter(zerocast_wire::Ipv4Addr([239, 0, 0, 9])), Filter::Include(&[]));
    /// ```
    #[must_use]
    pub fn filter(&self, group: G) -> Filter<'_, G> {
        self.groups
            .get(&group)
            .map_or(Filter::Include(&[]), Group::state)
    }

    /// The embedder's own source filter for `group`
    /// ([`set_source_filter`](Self::set_source_filter)), if it set one.
    #[must_use]
    pub fn source_filter(&self, group: G) -> Option<(FilterMode, &[G])> {
        let (mode, sources) = self.groups.get(&group)?.own.as_ref()?;
        Some((*mode, sources))
    }

    /// The groups with reception state, in address order.
    pub fn groups(&self) -> impl Iterator<Item = G> + '_ {
        self.groups
            .iter()
            .filter(|(_, g)| g.is_member())
            .map(|(a, _)| *a)
    }

    /// The earliest pending deadline.
    #[must_use]
    pub fn next_deadline(&self) -> Option<Instant> {
        self.timers.next_deadline()
    }

    /// Joins `group` from any source once more (EXCLUDE({})). When that changes the
    /// interface state, returns the State-Change Report records to send now (RFC 3376
    /// section 5.1, RFC 9777 section 6.1) and schedules their retransmissions; later
    /// joins only count (no records), as do joins of unreported groups.
    ///
    /// # Errors
    /// [`TooManyGroups`] when the interface is in [`MAX_GROUPS`] groups already.
    pub fn join(
        &mut self,
        now: Instant,
        group: G,
        rng: &mut impl Rng,
    ) -> Result<Vec<GroupRecord<G>>, TooManyGroups> {
        let old = self.snapshot(group);
        self.group_entry(group).ok_or(TooManyGroups)?.refs += 1;
        Ok(self.changed(now, group, old, rng))
    }

    /// Leaves an any-source join of `group` once. When that changes the interface state
    /// (the last one, or the embedder's source filter taking over) returns the
    /// State-Change Report records to send now and schedules their retransmissions.
    pub fn leave(&mut self, now: Instant, group: G, rng: &mut impl Rng) -> Vec<GroupRecord<G>> {
        let old = self.snapshot(group);
        match self.groups.get_mut(&group) {
            Some(g) if g.refs > 0 => g.refs -= 1,
            _ => return Vec::new(),
        }
        self.changed(now, group, old, rng)
    }

    /// Sets the embedder's own source filter for `group` (RFC 3376 section 3.1's
    /// IPMulticastListen): `Include` with sources is a source-specific join,
    /// `Exclude` with none an any-source one, `Include` with none leaves. Duplicate
    /// sources count once. Returns the State-Change Report records to send now, if the
    /// interface state changed (it does not while an any-source join holds the group in
    /// EXCLUDE({})), and schedules their retransmissions.
    ///
    /// # Errors
    /// [`SourceFilterError::TooManySources`] beyond [`MAX_SOURCES`] distinct sources,
    /// [`SourceFilterError::TooManyGroups`] for a new group beyond [`MAX_GROUPS`]; the
    /// state is unchanged.
    ///
    /// ```
    /// use zerocast_stack::context::Rng;
    /// use zerocast_stack::membership::{FilterMode, Membership, ALLOW_NEW_SOURCES, CHANGE_TO_INCLUDE_MODE};
    /// use zerocast_stack::time::Instant;
    /// use zerocast_wire::Ipv4Addr;
    /// # struct Counter(u64);
    /// # impl Rng for Counter { fn next_u64(&mut self) -> u64 { self.0 += 1 << 60; self.0 } }
    /// let (g, s1, s2) = (Ipv4Addr([232, 1, 1, 1]), Ipv4Addr([10, 0, 0, 1]), Ipv4Addr([10, 0, 0, 2]));
    /// let mut m = Membership::new();
    /// let now = Instant::ZERO;
    /// // SSM join of G from S1: INCLUDE({}) -> INCLUDE({S1}) is ALLOW({S1}).
    /// let r = m.set_source_filter(now, g, FilterMode::Include, &[s1], &mut Counter(0)).unwrap();
    /// assert_eq!((r[0].record_type, &r[0].sources[..]), (ALLOW_NEW_SOURCES, &[s1][..]));
    /// // Leaving: INCLUDE({}).
    /// m.set_source_filter(now, g, FilterMode::Include, &[], &mut Counter(0)).unwrap();
    /// assert!(!m.is_member(g));
    /// ```
    pub fn set_source_filter(
        &mut self,
        now: Instant,
        group: G,
        mode: FilterMode,
        sources: &[G],
        rng: &mut impl Rng,
    ) -> Result<Vec<GroupRecord<G>>, SourceFilterError> {
        let mut sources = sources.to_vec();
        sources.sort_unstable();
        sources.dedup();
        if sources.len() > MAX_SOURCES {
            return Err(SourceFilterError::TooManySources);
        }
        let own = (mode == FilterMode::Exclude || !sources.is_empty()).then_some((mode, sources));
        let old = self.snapshot(group);
        if own.is_none() && !self.groups.contains_key(&group) {
            return Ok(Vec::new());
        }
        self.group_entry(group)
            .ok_or(SourceFilterError::TooManyGroups)?
            .own = own;
        Ok(self.changed(now, group, old, rng))
    }

    /// The group's entry, made if new and within [`MAX_GROUPS`].
    fn group_entry(&mut self, group: G) -> Option<&mut Group<G>> {
        if !self.groups.contains_key(&group) && self.groups.len() >= MAX_GROUPS {
            return None;
        }
        Some(self.groups.entry(group).or_insert_with(Group::new))
    }

    /// The interface state of `group` as (EXCLUDE mode?, sources), to compare after a
    /// change.
    fn snapshot(&self, group: G) -> (bool, Vec<G>) {
        match self.filter(group) {
            Filter::Exclude(s) => (true, s.to_vec()),
            Filter::Include(s) => (false, s.to_vec()),
        }
    }

    /// After a change to `group`'s joins: when its interface state differs from `old`,
    /// merges the difference into the pending State-Change Report (RFC 3376 section 5.1,
    /// RFC 9777 section 6.1), returns that report's records to send now — the first of
    /// [Robustness Variable] transmissions — and schedules the next.
    fn changed(
        &mut self,
        now: Instant,
        group: G,
        old: (bool, Vec<G>),
        rng: &mut impl Rng,
    ) -> Vec<GroupRecord<G>> {
        let robustness = self.robustness.max(1);
        let reported = group.is_reported();
        let Some(g) = self.groups.get_mut(&group) else {
            return Vec::new();
        };
        if !reported || !g.note_change(old, robustness) {
            self.forget_if_idle(group);
            return Vec::new();
        }
        let records = g.next_change_report(group);
        self.schedule_retransmission(now, group, rng);
        records
    }

    fn schedule_retransmission(&mut self, now: Instant, group: G, rng: &mut impl Rng) {
        let key = MembershipTimer::Retransmit(group);
        if self
            .groups
            .get(&group)
            .is_some_and(Group::has_pending_change)
        {
            let delay = random_delay(UNSOLICITED_REPORT_INTERVAL, rng);
            self.timers.schedule(key, now + delay);
        } else {
            self.timers.cancel(&key);
            self.forget_if_idle(group);
        }
    }

    /// Drops a group without state or pending reports.
    fn forget_if_idle(&mut self, group: G) {
        if self
            .groups
            .get(&group)
            .is_some_and(|g| !g.is_member() && !g.has_pending_change())
        {
            self.groups.remove(&group);
            self.timers.cancel(&MembershipTimer::Retransmit(group));
            self.timers.cancel(&MembershipTimer::GroupResponse(group));
        }
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
                            .filter(|(a, _)| a.is_reported())
                            .filter_map(|(a, g)| g.current_state(*a)),
                    );
                }
                MembershipTimer::GroupResponse(group) => {
                    let Some(g) = self.groups.get_mut(&group) else {
                        continue;
                    };
                    let queried = core::mem::take(&mut g.query_sources);
                    if queried.is_empty() {
                        records.extend(g.current_state(group));
                    } else if g.is_member() {
                        records.extend(source_query_answer(group, g.state(), &queried));
                    }
                }
                MembershipTimer::Retransmit(group) => {
                    let Some(g) = self.groups.get_mut(&group) else {
                        continue;
                    };
                    records.extend(g.next_change_report(group));
                    self.schedule_retransmission(now, group, rng);
                }
            }
        }
        records
    }

    /// The messages an older-version querier gets for `records` (RFC 3376 section 7.2.1,
    /// RFC 9777 section 8.2.1: IGMPv2 / MLDv1 have no source lists): per group, in the
    /// order first named, a [`MODE_IS_EXCLUDE`] record (sent as a Membership Report) while
    /// the interface has state for the group, a [`CHANGE_TO_INCLUDE_MODE`] one (sent as a
    /// Leave / Done) once it has none; no sources.
    #[must_use]
    pub fn older_version_records(&self, records: &[GroupRecord<G>]) -> Vec<GroupRecord<G>> {
        let mut out: Vec<GroupRecord<G>> = Vec::new();
        for r in records {
            if out.iter().any(|o| o.group == r.group) {
                continue;
            }
            let record_type = if self.is_member(r.group) {
                MODE_IS_EXCLUDE
            } else {
                CHANGE_TO_INCLUDE_MODE
            };
            out.push(GroupRecord::new(record_type, r.group));
        }
        out
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
        assert_eq!(first, [GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, G)]);
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
        assert_eq!(m.join(at(0), G, &mut rng), Ok(Vec::new()));
        assert_eq!(m.leave(at(0), G, &mut rng), []);
        assert!(m.is_member(G));
        let last = m.leave(at(0), G, &mut rng);
        assert_eq!(last, [GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)]);
        assert!(!m.is_member(G));
        assert_eq!(m.leave(at(0), G, &mut rng), [], "not a member any more");
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
        assert_eq!(
            m.join(at(0), Ipv4Addr([224, 0, 0, 1]), &mut rng),
            Ok(Vec::new())
        );
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
        assert_eq!(
            m6.join(at(0), crate::ipv6::ALL_NODES, &mut rng),
            Ok(Vec::new())
        );
        let interface_local = Ipv6Addr([0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(m6.join(at(0), interface_local, &mut rng), Ok(Vec::new()));
        let solicited =
            Ipv6Addr([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]).solicited_node();
        assert!(
            !m6.join(at(0), solicited, &mut rng).unwrap().is_empty(),
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
        assert_eq!(leave, [GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)]);
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

    fn record(record_type: u8, group: Ipv4Addr, sources: &[Ipv4Addr]) -> GroupRecord<Ipv4Addr> {
        GroupRecord {
            record_type,
            group,
            sources: sources.to_vec(),
        }
    }

    /// Sets the embedder's filter for G and returns the report sent at once.
    fn set(
        m: &mut Membership<Ipv4Addr>,
        ms: u64,
        mode: FilterMode,
        sources: &[Ipv4Addr],
    ) -> Vec<GroupRecord<Ipv4Addr>> {
        m.set_source_filter(at(ms), G, mode, sources, &mut Quarter)
            .unwrap()
    }

    /// Every later report, in order (retransmissions fire at +250 ms with `Quarter`).
    fn later_reports(m: &mut Membership<Ipv4Addr>) -> Vec<Vec<GroupRecord<Ipv4Addr>>> {
        let mut reports = Vec::new();
        while let Some(t) = m.next_deadline() {
            reports.push(m.handle_timers(t, &mut Quarter));
        }
        reports
    }

    #[test]
    fn source_specific_join_and_leave_send_allow_and_block_3376_5_1_table() {
        let mut m = Membership::new();
        // INCLUDE({}) -> INCLUDE({S1, S2}): ALLOW(B - A) = {S1, S2}, BLOCK(A - B) empty
        // and so omitted.
        assert_eq!(
            set(&mut m, 0, FilterMode::Include, &[S2, S1, S2]),
            [record(ALLOW_NEW_SOURCES, G, &[S1, S2])]
        );
        assert!(m.is_member(G));
        assert_eq!(m.filter(G), Filter::Include(&[S1, S2]));
        assert_eq!(
            later_reports(&mut m),
            [[record(ALLOW_NEW_SOURCES, G, &[S1, S2])]],
            "Robustness Variable 2: one retransmission"
        );
        // Setting the same filter again changes nothing: no report.
        assert!(set(&mut m, 2000, FilterMode::Include, &[S1, S2]).is_empty());
        assert_eq!(m.next_deadline(), None);
        // INCLUDE({S1, S2}) -> INCLUDE({}): BLOCK({S1, S2}); then the group is forgotten.
        assert_eq!(
            set(&mut m, 3000, FilterMode::Include, &[]),
            [record(BLOCK_OLD_SOURCES, G, &[S1, S2])]
        );
        assert!(!m.is_member(G));
        assert_eq!(
            later_reports(&mut m),
            [[record(BLOCK_OLD_SOURCES, G, &[S1, S2])]]
        );
        assert_eq!(m.groups.len(), 0, "no state left");
    }

    #[test]
    fn source_list_changes_give_allow_and_block_in_both_modes_3376_5_1_table() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1, S2]);
        later_reports(&mut m);
        // INCLUDE(A) -> INCLUDE(B): ALLOW(B - A), BLOCK(A - B).
        assert_eq!(
            set(&mut m, 2000, FilterMode::Include, &[S2, S3]),
            [
                record(ALLOW_NEW_SOURCES, G, &[S3]),
                record(BLOCK_OLD_SOURCES, G, &[S1])
            ]
        );
        later_reports(&mut m);
        // INCLUDE(A) -> EXCLUDE(B): TO_EX(B).
        assert_eq!(
            set(&mut m, 4000, FilterMode::Exclude, &[S1]),
            [record(CHANGE_TO_EXCLUDE_MODE, G, &[S1])]
        );
        later_reports(&mut m);
        // EXCLUDE(A) -> EXCLUDE(B): ALLOW(A - B), BLOCK(B - A).
        assert_eq!(
            set(&mut m, 6000, FilterMode::Exclude, &[S2]),
            [
                record(ALLOW_NEW_SOURCES, G, &[S1]),
                record(BLOCK_OLD_SOURCES, G, &[S2])
            ]
        );
        later_reports(&mut m);
        // EXCLUDE(A) -> INCLUDE(B): TO_IN(B).
        assert_eq!(
            set(&mut m, 8000, FilterMode::Include, &[S3]),
            [record(CHANGE_TO_INCLUDE_MODE, G, &[S3])]
        );
    }

    #[test]
    fn a_change_before_the_retransmissions_end_is_merged_and_each_source_sent_robustness_times_3376_5_1(
    ) {
        let mut m = Membership::new();
        assert_eq!(
            set(&mut m, 0, FilterMode::Include, &[S1]),
            [record(ALLOW_NEW_SOURCES, G, &[S1])]
        );
        // 100 ms later, before the retransmission due at 250 ms: S2 joins. The new report
        // is the pending one merged with the difference, sent at once.
        assert_eq!(
            set(&mut m, 100, FilterMode::Include, &[S1, S2]),
            [record(ALLOW_NEW_SOURCES, G, &[S1, S2])]
        );
        // S1 has been in two reports, S2 in one: only S2 is retransmitted.
        assert_eq!(m.next_deadline(), Some(at(350)), "restarted from 100 ms");
        assert_eq!(
            later_reports(&mut m),
            [[record(ALLOW_NEW_SOURCES, G, &[S2])]]
        );
    }

    #[test]
    fn a_source_allowed_then_blocked_moves_to_the_block_record_3376_5_1() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1, S2]);
        assert_eq!(
            set(&mut m, 100, FilterMode::Include, &[S2]),
            [
                record(ALLOW_NEW_SOURCES, G, &[S2]),
                record(BLOCK_OLD_SOURCES, G, &[S1])
            ],
            "S1 is no longer allowed anywhere"
        );
        assert_eq!(
            later_reports(&mut m),
            [[record(BLOCK_OLD_SOURCES, G, &[S1])]]
        );
    }

    #[test]
    fn filter_mode_change_records_are_sent_robustness_times_and_source_changes_wait_3376_5_1() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1]);
        // A mode change supersedes the pending ALLOW(S1).
        assert_eq!(
            set(&mut m, 100, FilterMode::Exclude, &[S2]),
            [record(CHANGE_TO_EXCLUDE_MODE, G, &[S2])]
        );
        // A source change while the mode-change record is still due: the next report is
        // still a filter-mode-change record, of the current list ...
        assert_eq!(
            set(&mut m, 200, FilterMode::Exclude, &[S2, S3]),
            [record(CHANGE_TO_EXCLUDE_MODE, G, &[S2, S3])]
        );
        // ... which ends the mode change's Robustness Variable reports (two sent); the
        // source change follows in its own two reports.
        assert_eq!(
            later_reports(&mut m),
            [
                [record(BLOCK_OLD_SOURCES, G, &[S3])],
                [record(BLOCK_OLD_SOURCES, G, &[S3])]
            ]
        );
    }

    #[test]
    fn any_source_joins_make_the_interface_state_exclude_nothing_3376_3_2() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1]);
        later_reports(&mut m);
        // A socket's any-source join: INCLUDE({S1}) -> EXCLUDE({}) is TO_EX({}).
        assert_eq!(
            m.join(at(2000), G, &mut Quarter).unwrap(),
            [GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, G)]
        );
        assert_eq!(m.filter(G), Filter::Exclude(&[]));
        // While it holds, the embedder's filter changes nothing on the wire.
        later_reports(&mut m);
        assert!(set(&mut m, 4000, FilterMode::Exclude, &[S3]).is_empty());
        assert_eq!(m.filter(G), Filter::Exclude(&[]));
        // The socket leaves: EXCLUDE({}) -> EXCLUDE({S3}) is BLOCK({S3}).
        assert_eq!(
            m.leave(at(5000), G, &mut Quarter),
            [record(BLOCK_OLD_SOURCES, G, &[S3])]
        );
        assert_eq!(m.source_filter(G), Some((FilterMode::Exclude, &[S3][..])));
    }

    #[test]
    fn current_state_records_carry_the_filter_3376_4_2_12() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S2, S1]);
        m.set_source_filter(at(0), H, FilterMode::Exclude, &[S3], &mut Quarter)
            .unwrap();
        later_reports(&mut m);
        m.handle_query(at(5000), source_query(G, &[], 0), &mut Quarter);
        assert_eq!(
            m.handle_timers(at(5000), &mut Quarter),
            [record(MODE_IS_INCLUDE, G, &[S1, S2])],
            "group-specific: IS_IN(A)"
        );
        let general = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::ZERO,
            robustness: 0,
            older_version: false,
        };
        m.handle_query(at(6000), general, &mut Quarter);
        assert_eq!(
            m.handle_timers(at(6000), &mut Quarter),
            [
                record(MODE_IS_INCLUDE, G, &[S1, S2]),
                record(MODE_IS_EXCLUDE, H, &[S3])
            ]
        );
    }

    #[test]
    fn source_specific_query_under_include_answers_the_intersection_or_nothing_3376_5_2() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1, S2]);
        later_reports(&mut m);
        // INCLUDE(A), queried B: IS_IN(A * B).
        m.handle_query(at(5000), source_query(G, &[S2, S3], 0), &mut Quarter);
        assert_eq!(m.handle_timers(at(5000), &mut Quarter), [include(G, &[S2])]);
        // No queried source in A: nothing is sent.
        m.handle_query(at(6000), source_query(G, &[S3], 0), &mut Quarter);
        assert_eq!(m.next_deadline(), Some(at(6000)));
        assert!(m.handle_timers(at(6000), &mut Quarter).is_empty());
    }

    #[test]
    fn source_specific_query_under_exclude_answers_the_queried_minus_the_excluded_3376_5_2() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Exclude, &[S1]);
        later_reports(&mut m);
        m.handle_query(at(5000), source_query(G, &[S1, S3], 0), &mut Quarter);
        assert_eq!(m.handle_timers(at(5000), &mut Quarter), [include(G, &[S3])]);
        m.handle_query(at(6000), source_query(G, &[S1], 0), &mut Quarter);
        assert!(m.handle_timers(at(6000), &mut Quarter).is_empty());
    }

    #[test]
    fn querier_robustness_sets_each_source_retransmission_count_3376_5_1() {
        let mut m = Membership::new();
        let general = Query {
            group: None,
            sources: Vec::new(),
            max_response: Duration::ZERO,
            robustness: 3,
            older_version: false,
        };
        m.handle_query(at(0), general, &mut Quarter);
        m.handle_timers(at(0), &mut Quarter);
        set(&mut m, 0, FilterMode::Include, &[S1]);
        assert_eq!(later_reports(&mut m).len(), 2, "3 reports in all");
    }

    #[test]
    fn source_filters_are_bounded_and_a_refused_one_changes_nothing() {
        let mut m = Membership::new();
        let many: Vec<Ipv4Addr> = (0..=MAX_SOURCES as u8)
            .map(|i| Ipv4Addr([10, 2, 0, i]))
            .collect();
        set(&mut m, 0, FilterMode::Include, &[S1]);
        assert_eq!(
            m.set_source_filter(at(1), G, FilterMode::Include, &many, &mut Quarter),
            Err(SourceFilterError::TooManySources)
        );
        assert_eq!(m.filter(G), Filter::Include(&[S1]));
        // Duplicates count once: exactly the bound passes.
        let mut at_bound = many[..MAX_SOURCES].to_vec();
        at_bound.extend_from_slice(&many[..3]);
        assert_eq!(
            set(&mut m, 2, FilterMode::Exclude, &at_bound),
            [record(CHANGE_TO_EXCLUDE_MODE, G, &many[..MAX_SOURCES])]
        );
        for i in 0..MAX_GROUPS - 1 {
            m.set_source_filter(
                at(3),
                Ipv4Addr([232, 0, 0, i as u8]),
                FilterMode::Include,
                &[S1],
                &mut Quarter,
            )
            .unwrap();
        }
        assert_eq!(
            m.set_source_filter(
                at(3),
                Ipv4Addr([232, 9, 9, 9]),
                FilterMode::Include,
                &[S1],
                &mut Quarter
            ),
            Err(SourceFilterError::TooManyGroups)
        );
        assert!(!m.is_member(Ipv4Addr([232, 9, 9, 9])));
    }

    #[test]
    fn many_pending_sources_are_split_into_records_that_fit_a_report_3376_4_2_16() {
        let mut m = Membership::new();
        let batch = |k: u8| -> Vec<Ipv4Addr> {
            (0..MAX_SOURCES as u8)
                .map(|i| Ipv4Addr([10, k, 0, i]))
                .collect()
        };
        set(&mut m, 0, FilterMode::Include, &batch(1));
        set(&mut m, 1, FilterMode::Include, &batch(2));
        // Batches 1 and 2 are both pending BLOCK now: two records of 64.
        let report = set(&mut m, 2, FilterMode::Include, &batch(3));
        let blocks: Vec<usize> = report
            .iter()
            .filter(|r| r.record_type == BLOCK_OLD_SOURCES)
            .map(|r| r.sources.len())
            .collect();
        assert_eq!(blocks, [MAX_SOURCES, MAX_SOURCES]);
        let packets = crate::igmp::build_reports(Ipv4Addr([10, 0, 0, 2]), &report);
        assert!(
            packets.iter().all(|p| p.len() <= 576),
            "each fits 576 bytes"
        );
    }

    #[test]
    fn older_version_messages_are_one_per_group_report_or_leave_3376_7_2_1() {
        let mut m = Membership::new();
        set(&mut m, 0, FilterMode::Include, &[S1]);
        let changes = set(&mut m, 10, FilterMode::Include, &[S2]);
        assert_eq!(changes.len(), 2, "ALLOW and BLOCK");
        assert_eq!(
            m.older_version_records(&changes),
            [GroupRecord::new(MODE_IS_EXCLUDE, G)],
            "still in the group: one v2 report"
        );
        let leave = set(&mut m, 20, FilterMode::Include, &[]);
        assert_eq!(
            m.older_version_records(&leave),
            [GroupRecord::new(CHANGE_TO_INCLUDE_MODE, G)],
            "no state left: a leave"
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
            Ok(Vec::new()),
            "a member may join again"
        );
    }
}
