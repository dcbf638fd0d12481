//! IGMPv3 for hosts (RFC 3376): the wire side of [`Membership`] over IPv4.
//!
//! The group state machine is shared with MLDv2 in [`membership`](crate::membership); this
//! module decodes queries from the wire crate's parsed IGMP packets and builds Version 3
//! Membership Reports with [`IgmpV3Builder`], inside an IPv4 header with TTL 1, type of
//! service 0xc0 (Internetwork Control) and a Router Alert option (RFC 3376 section 4),
//! sent to 224.0.0.22.

use alloc::vec::Vec;

use zerocast_packet::{InnerPacketBuilder, Serializer};
use zerocast_wire::igmp::{
    IgmpPacket, IgmpRepr, IgmpV3Builder, IgmpV3Message, IgmpV3RecordRepr, TYPE_LEAVE, TYPE_QUERY,
    TYPE_V2_REPORT,
};
use zerocast_wire::ipv4::Ipv4Repr;
use zerocast_wire::{IpProto, Ipv4Addr};

use crate::membership::{GroupRecord, Membership, Query};
use crate::time::Duration;

/// The IGMP membership state of one interface.
pub type IgmpState = Membership<Ipv4Addr>;

/// 224.0.0.22, where IGMPv3 reports go (RFC 3376 section 4.2.14).
pub const ALL_IGMPV3_ROUTERS: Ipv4Addr = Ipv4Addr([224, 0, 0, 22]);
/// 224.0.0.1, all systems: the group every host is in and never reports.
pub const ALL_SYSTEMS: Ipv4Addr = Ipv4Addr([224, 0, 0, 1]);
/// RFC 2113: the Router Alert option (type 148, length 4, value 0).
pub const ROUTER_ALERT_OPTION: [u8; 4] = [0x94, 4, 0, 0];
/// RFC 3376 section 4: reports go out with TTL 1.
pub const IGMP_TTL: u8 = 1;
/// RFC 3376 section 4: "IP Precedence of Internetwork Control (e.g., Type of Service 0xc0)".
pub const IGMP_TOS: u8 = 0xc0;
/// RFC 3376 section 8.14.1: an IGMPv1 query (Max Resp Code 0) means 10 seconds.
pub const IGMPV1_MAX_RESPONSE: Duration = Duration::from_secs(10);
/// Records per report, so a report of 8-byte records stays within a 576-byte IPv4 packet
/// (24 + 8 + 60 × 8 = 512).
pub const MAX_RECORDS_PER_REPORT: usize = 60;
/// Record bytes per report (8 per record plus 4 per source): with the 24-byte IPv4 header
/// and its Router Alert and the 8-byte report header, a report stays within 576 bytes.
pub const MAX_RECORD_BYTES_PER_REPORT: usize = 576 - 24 - 8;

/// Decodes an IGMPv3 Max Resp Code into a time (RFC 3376 section 4.1.1): in tenths of a
/// second; from 128 up a floating-point value `(mant | 0x10) << (exp + 3)`.
///
/// ```
/// use zerocast_stack::igmp::max_response_delay;
/// use zerocast_stack::time::Duration;
/// assert_eq!(max_response_delay(100), Duration::from_secs(10));
/// // 0x80: exp 0, mant 0 -> 16 << 3 = 128 tenths.
/// assert_eq!(max_response_delay(0x80), Duration::from_millis(12_800));
/// ```
#[must_use]
pub fn max_response_delay(code: u8) -> Duration {
    let tenths = if code < 0x80 {
        u64::from(code)
    } else {
        let exp = (code >> 4) & 0x7;
        let mant = code & 0x0f;
        u64::from(mant | 0x10) << (exp + 3)
    };
    Duration::from_millis(tenths * 100)
}

/// The query in an IGMP packet, if it is one: a Group-and-Source-Specific Query keeps its
/// sources, and one whose Number of Sources overruns the message is ignored (RFC 3376
/// section 4.1.8). IGMPv1 and v2 queries are marked
/// [`older_version`](Query::older_version): the interface answers with IGMPv2 messages for
/// a while (RFC 3376 section 7.2.1, [`build_v2_message`]); a v1 query's zero Max Resp Code
/// means 10 seconds.
///
/// ```
/// use zerocast_stack::igmp::query_of;
/// use zerocast_wire::igmp::IgmpPacket;
/// // A v3 general query: Max Resp Code 100, QRV 2, QQIC 125, no sources.
/// let bytes = [0x11, 100, 0xec, 0x1e, 0, 0, 0, 0, 0x02, 125, 0, 0];
/// let q = query_of(&IgmpPacket::parse(&bytes[..]).unwrap()).unwrap();
/// assert_eq!((q.group, q.max_response.as_secs(), q.robustness), (None, 10, 2));
/// ```
#[must_use]
pub fn query_of<B: zerocast_wire::zerocast::SplitByteSlice>(
    packet: &IgmpPacket<B>,
) -> Option<Query<Ipv4Addr>> {
    if packet.msg_type() != TYPE_QUERY {
        return None;
    }
    let group = packet.group().filter(|g| !g.is_unspecified());
    if group.is_some_and(|g| !g.is_multicast()) {
        return None;
    }
    let version = packet.version();
    let mut sources = Vec::new();
    let (max_response, robustness) = match (version, packet.v3_query()) {
        (3, Some(q)) => {
            let bytes = q.sources.get(..usize::from(q.num_sources) * 4)?;
            // A General Query names no sources (section 4.1.9); any are ignored.
            if group.is_some() {
                sources = bytes
                    .chunks_exact(4)
                    .map(|a| Ipv4Addr([a[0], a[1], a[2], a[3]]))
                    .collect();
            }
            (max_response_delay(packet.max_resp()), q.s_qrv & 7)
        }
        (1, _) => (IGMPV1_MAX_RESPONSE, 0),
        _ => (max_response_delay(packet.max_resp()), 0),
    };
    Some(Query {
        group,
        sources,
        max_response,
        robustness,
        older_version: version < 3,
    })
}

/// 224.0.0.2, all routers: where IGMPv2 Leave Group messages go (RFC 2236 section 3).
pub const ALL_ROUTERS: Ipv4Addr = Ipv4Addr([224, 0, 0, 2]);

/// Builds the IGMPv2 (RFC 2236 section 2) message for `record` while an older-version
/// querier is present: a Version 2 Membership Report sent to the group for a join or a
/// current state, a Leave Group sent to 224.0.0.2 for a leave. TTL 1 and the Router
/// Alert, as for IGMPv3.
///
/// ```
/// use zerocast_stack::igmp::build_v2_message;
/// use zerocast_stack::membership::{GroupRecord, CHANGE_TO_EXCLUDE_MODE};
/// use zerocast_wire::{igmp::IgmpPacket, ipv4::Ipv4Packet, Ipv4Addr};
/// let group = Ipv4Addr([239, 1, 2, 3]);
/// let report = build_v2_message(Ipv4Addr([10, 0, 0, 2]), &GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, group)).unwrap();
/// let ip = Ipv4Packet::parse(&report[..]).unwrap();
/// assert_eq!((ip.dst(), IgmpPacket::parse(ip.payload()).unwrap().msg_type()), (group, 0x16));
/// ```
#[must_use]
pub fn build_v2_message(src: Ipv4Addr, record: &GroupRecord<Ipv4Addr>) -> Option<Vec<u8>> {
    let (msg_type, dst) = if record.record_type == crate::membership::CHANGE_TO_INCLUDE_MODE {
        (TYPE_LEAVE, ALL_ROUTERS)
    } else {
        (TYPE_V2_REPORT, record.group)
    };
    let mut message = [0u8; zerocast_wire::igmp::HEADER_LEN];
    IgmpRepr {
        msg_type,
        max_resp: 0,
        word: record.group.0,
    }
    .emit(&mut message)
    .ok()?;
    let ip = Ipv4Repr {
        dsfield: IGMP_TOS,
        options: &ROUTER_ALERT_OPTION,
        ..Ipv4Repr::new(src, dst, IpProto::IGMP, IGMP_TTL)
    };
    let packet = message
        .into_serializer()
        .wrap_in(ip.builder().ok()?)
        .serialize_vec_outer()
        .ok()?;
    Some(packet.as_ref().to_vec())
}

/// Builds the IPv4 packets of the report for `records` from `src` to 224.0.0.22, at most
/// [`MAX_RECORDS_PER_REPORT`] records and [`MAX_RECORD_BYTES_PER_REPORT`] bytes of records
/// each (a record never spans two reports; its sources are bounded by
/// [`MAX_QUERY_SOURCES`](crate::membership::MAX_QUERY_SOURCES) and
/// [`MAX_SOURCES`](crate::membership::MAX_SOURCES), so it fits one).
///
/// ```
/// use zerocast_stack::igmp::build_reports;
/// use zerocast_stack::membership::{GroupRecord, CHANGE_TO_EXCLUDE_MODE};
/// use zerocast_wire::{ipv4::Ipv4Packet, Ipv4Addr};
/// let group = Ipv4Addr([239, 1, 2, 3]);
/// let packets = build_reports(Ipv4Addr([10, 0, 0, 2]), &[GroupRecord::new(CHANGE_TO_EXCLUDE_MODE, group)]);
/// let ip = Ipv4Packet::parse(&packets[0][..]).unwrap();
/// assert_eq!((ip.ttl(), ip.dst()), (1, Ipv4Addr([224, 0, 0, 22])));
/// ```
#[must_use]
pub fn build_reports(src: Ipv4Addr, records: &[GroupRecord<Ipv4Addr>]) -> Vec<Vec<u8>> {
    crate::membership::chunk_records(
        records,
        MAX_RECORDS_PER_REPORT,
        |r| 8 + 4 * r.sources.len(),
        MAX_RECORD_BYTES_PER_REPORT,
    )
    .filter_map(|chunk| build_report(src, chunk))
    .collect()
}

fn build_report(src: Ipv4Addr, records: &[GroupRecord<Ipv4Addr>]) -> Option<Vec<u8>> {
    let reprs: Vec<IgmpV3RecordRepr<'_>> = records
        .iter()
        .map(|r| IgmpV3RecordRepr {
            record_type: r.record_type,
            group: r.group,
            sources: &r.sources,
            aux: &[],
        })
        .collect();
    let report = IgmpV3Builder::new(IgmpV3Message::Report { records: &reprs }).ok()?;
    let ip = Ipv4Repr {
        dsfield: IGMP_TOS,
        options: &ROUTER_ALERT_OPTION,
        ..Ipv4Repr::new(src, ALL_IGMPV3_ROUTERS, IpProto::IGMP, IGMP_TTL)
    };
    let packet = report
        .into_serializer()
        .wrap_in(ip.builder().ok()?)
        .serialize_vec_outer()
        .ok()?;
    Some(packet.as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::{CHANGE_TO_INCLUDE_MODE, MODE_IS_EXCLUDE};
    use zerocast_wire::ipv4::Ipv4Packet;
    use zerocast_wire::ipv4_options::Ipv4Option;

    #[test]
    fn report_has_ttl_1_tos_c0_and_router_alert_to_224_0_0_22_3376_4() {
        let g = Ipv4Addr([239, 9, 9, 9]);
        let packets = build_reports(
            Ipv4Addr([10, 0, 0, 2]),
            &[GroupRecord::new(CHANGE_TO_INCLUDE_MODE, g)],
        );
        let p = Ipv4Packet::parse(&packets[0][..]).unwrap();
        assert_eq!(
            (p.ttl(), p.dsfield(), p.dst()),
            (1, 0xc0, ALL_IGMPV3_ROUTERS)
        );
        let opt = p.options().next().unwrap().unwrap();
        assert_eq!(opt.decode(), Ipv4Option::RouterAlert(0));
        let igmp = IgmpPacket::parse(p.payload()).unwrap();
        let r = igmp.v3_records().next().unwrap().unwrap();
        assert_eq!((r.record_type, r.group), (CHANGE_TO_INCLUDE_MODE, g));
    }

    #[test]
    fn many_records_are_split_into_several_reports() {
        let records: Vec<_> = (0..61u8)
            .map(|i| GroupRecord::new(MODE_IS_EXCLUDE, Ipv4Addr([239, 0, 1, i])))
            .collect();
        let packets = build_reports(Ipv4Addr([10, 0, 0, 2]), &records);
        assert_eq!(packets.len(), 2);
        assert!(packets.iter().all(|p| p.len() <= 576));
    }

    #[test]
    fn max_resp_code_float_format_3376_4_1_1() {
        assert_eq!(max_response_delay(0x7f), Duration::from_millis(12_700));
        // exp 7, mant 15: 31 << 10 tenths.
        assert_eq!(
            max_response_delay(0xff),
            Duration::from_millis((31 << 10) * 100)
        );
    }

    #[test]
    fn v1_query_means_ten_seconds_and_group_specific_queries_name_the_group_3376_7() {
        let v1 = [0x11u8, 0, 0xee, 0xff, 0, 0, 0, 0];
        let p = IgmpPacket::parse(&v1[..]).unwrap();
        assert_eq!(query_of(&p).unwrap().max_response, IGMPV1_MAX_RESPONSE);
        let mut v2 = [0x11u8, 50, 0, 0, 239, 1, 1, 1];
        fix_checksum(&mut v2);
        let q = query_of(&IgmpPacket::parse(&v2[..]).unwrap()).unwrap();
        assert_eq!(
            (q.group, q.max_response),
            (Some(Ipv4Addr([239, 1, 1, 1])), Duration::from_secs(5))
        );
    }

    #[test]
    fn reports_are_not_queries() {
        let packets = build_reports(
            Ipv4Addr([10, 0, 0, 2]),
            &[GroupRecord::new(MODE_IS_EXCLUDE, Ipv4Addr([239, 0, 0, 1]))],
        );
        let p = Ipv4Packet::parse(&packets[0][..]).unwrap();
        assert!(query_of(&IgmpPacket::parse(p.payload()).unwrap()).is_none());
    }

    #[test]
    fn source_specific_query_keeps_its_sources_and_an_overrun_count_is_ignored_3376_4_1_8() {
        let mut q = [
            0x11u8, 20, 0, 0, 239, 1, 1, 1, 0x02, 125, 0, 2, 10, 0, 0, 9, 10, 0, 0, 7,
        ];
        fix_checksum(&mut q);
        let got = query_of(&IgmpPacket::parse(&q[..]).unwrap()).unwrap();
        assert_eq!(
            (got.group, got.sources, got.max_response),
            (
                Some(Ipv4Addr([239, 1, 1, 1])),
                alloc::vec![Ipv4Addr([10, 0, 0, 9]), Ipv4Addr([10, 0, 0, 7])],
                Duration::from_secs(2)
            )
        );
        // Number of Sources 3 with two addresses present: the wire crate refuses it.
        q[11] = 3;
        fix_checksum(&mut q);
        assert!(IgmpPacket::parse(&q[..]).is_err());
        // A General Query's sources (it must have none) are not kept.
        let mut general = [0x11u8, 20, 0, 0, 0, 0, 0, 0, 0x02, 125, 0, 1, 10, 0, 0, 9];
        fix_checksum(&mut general);
        let got = query_of(&IgmpPacket::parse(&general[..]).unwrap()).unwrap();
        assert_eq!((got.group, got.sources.len()), (None, 0));
    }

    #[test]
    fn is_include_records_carry_their_sources_and_reports_split_by_bytes_3376_4_2() {
        let g = Ipv4Addr([239, 1, 1, 1]);
        let sources = [Ipv4Addr([10, 0, 0, 7]), Ipv4Addr([10, 0, 0, 9])];
        let record = GroupRecord {
            record_type: crate::membership::MODE_IS_INCLUDE,
            group: g,
            sources: sources.to_vec(),
        };
        let packets = build_reports(Ipv4Addr([10, 0, 0, 2]), &[record]);
        let p = Ipv4Packet::parse(&packets[0][..]).unwrap();
        let igmp = IgmpPacket::parse(p.payload()).unwrap();
        let r = igmp.v3_records().next().unwrap().unwrap();
        assert_eq!(
            (r.record_type, r.group, r.sources),
            (1, g, &[10u8, 0, 0, 7, 10, 0, 0, 9][..])
        );
        // Three records of 64 sources (264 bytes each): two fit in 544 bytes of records.
        let full = GroupRecord {
            record_type: crate::membership::MODE_IS_INCLUDE,
            group: g,
            sources: alloc::vec![sources[0]; crate::membership::MAX_QUERY_SOURCES],
        };
        let packets = build_reports(Ipv4Addr([10, 0, 0, 2]), &[full.clone(), full.clone(), full]);
        assert_eq!(packets.len(), 2);
        assert!(
            packets.iter().all(|p| p.len() <= 576),
            "{:?}",
            packets.iter().map(Vec::len).collect::<Vec<_>>()
        );
    }

    fn fix_checksum(b: &mut [u8]) {
        b[2] = 0;
        b[3] = 0;
        let c = zerocast_wire::checksum::checksum(b);
        b[2..4].copy_from_slice(&c.to_be_bytes());
    }
}
