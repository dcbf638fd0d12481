// Fuzz bodies for zcdump: `include!`d both by the cargo-fuzz crate (fuzz/zcdump, one target
// per function) and by zcdump's `tests/fuzz_corpus.rs`, which replays the committed corpus
// under plain `cargo test`.

use zcdump::capture::{Batch, CaptureReader, LinkType, Packet, MAX_CAPLEN};
use zcdump::dissect::dissect;
use zcdump::fields::{Field, FieldMask, FrameFields};
use zcdump::filter::Filter;
use zcdump::output::{FieldsWriter, FrameMeta, JsonlWriter, LineWriter, TextWriter};
use zcdump::stats::{Stats, Tally};

type Seen = Vec<(u64, u32, u32, Vec<u8>)>;

/// Any byte string as a capture file: the reader must return packets or a typed error,
/// never panic, and never hand out a packet larger than the record limit. The batch reader
/// (what `--stats` uses) must hand out exactly the packets the single-packet reader does,
/// and fail where it fails. Statistics counted from field sets holding only
/// `Stats::FIELDS` (what `--stats` without `-Y` asks the dissector for) must equal those
/// counted from every field.
pub fn fuzz_capture_reader(data: &[u8]) {
    let Ok(mut reader) = CaptureReader::open(data) else {
        return;
    };
    let mut fields = FrameFields::default();
    let mut tally = Tally::default();
    let mut lean = FrameFields::with_mask(FieldMask::of(Stats::FIELDS));
    let mut lean_tally = Tally::default();
    let mut single: Seen = Vec::new();
    let single_failed = loop {
        match reader.next_packet() {
            Ok(Some(packet)) => {
                assert!(packet.data.len() <= MAX_CAPLEN as usize);
                assert!(packet.ts_nsec < 1_000_000_000);
                single.push((
                    packet.ts_sec,
                    packet.ts_nsec,
                    packet.orig_len,
                    packet.data.to_vec(),
                ));
                fields.clear();
                dissect(&packet, single.len() as u64, &mut fields);
                tally.add(&fields, u64::from(packet.orig_len));
                lean.clear();
                dissect(&packet, single.len() as u64, &mut lean);
                lean_tally.add(&lean, u64::from(packet.orig_len));
            }
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    let mut stats = Stats::new(5).with_max_conversations(4);
    stats.merge(&mut tally);
    let mut report = Vec::new();
    stats.write(&mut report, None).expect("writes to a Vec");
    let mut lean_stats = Stats::new(5).with_max_conversations(4);
    lean_stats.merge(&mut lean_tally);
    let mut lean_report = Vec::new();
    lean_stats
        .write(&mut lean_report, None)
        .expect("writes to a Vec");
    assert_eq!(report, lean_report);

    let mut reader = CaptureReader::open(data).expect("opened once already");
    let mut batch = Batch::default();
    let mut batched: Seen = Vec::new();
    let batch_failed = loop {
        match reader.next_batch(&mut batch, u64::MAX) {
            Ok(true) => batched.extend(
                batch
                    .packets()
                    .map(|p| (p.ts_sec, p.ts_nsec, p.orig_len, p.data.to_vec())),
            ),
            Ok(false) => break false,
            Err(_) => break true,
        }
    };
    assert_eq!(single, batched);
    assert_eq!(single_failed, batch_failed);
}

/// Every `LINKTYPE_*` number zcdump decodes (BSD loopback, Ethernet, PPP, PPP in HDLC
/// framing, raw IP, Cisco HDLC, IEEE 802.11, OpenBSD loop, Linux cooked v1, 802.11 with
/// radiotap, raw IPv4, raw IPv6, Linux cooked v2) and one it does not (147, a user-defined
/// type).
const LINK_TYPES: [u32; 14] = [0, 1, 9, 50, 101, 104, 105, 108, 113, 127, 228, 229, 276, 147];

/// Any byte string as a frame of every supported link type: dissection and every output
/// format must complete without panicking. The writers get the fields the frame holds (in
/// registry order) plus one it cannot hold, not all 400-odd: a column of an absent field is
/// an empty string, and asking for every field made each run scan the frame's field list
/// once per registered field (most of the committed corpus replay's five minutes).
pub fn fuzz_dissect_frame(data: &[u8]) {
    let absent = Field::all().last().expect("fields are registered");
    // Built once: a text writer allocates its address caches when made.
    let mut relative = TextWriter::relative();
    let mut absolute = TextWriter::absolute();
    let mut fields = FrameFields::default();
    let mut out = Vec::new();
    for link_type in LINK_TYPES.map(LinkType::from_number) {
        // Whole, and as if the snapshot length had cut it.
        for orig_len in [data.len() as u32, data.len() as u32 + 100] {
            let packet = Packet {
                ts_sec: 0,
                ts_nsec: 0,
                orig_len,
                link_type,
                data,
            };
            fields.clear();
            dissect(&packet, 1, &mut fields);
            let mut held: Vec<Field> = fields
                .entries()
                .iter()
                .map(|&(f, _)| f)
                .filter(|f| f.index().is_some())
                .collect();
            held.sort_unstable_by_key(|f| f.index());
            held.dedup();
            held.push(absent);
            let meta = FrameMeta {
                frame: data,
                ..FrameMeta::default()
            };
            FieldsWriter::new(held.clone(), b'\t').frame(&meta, &fields, &mut out);
            JsonlWriter::new(held).frame(&meta, &fields, &mut out);
            relative.frame(&meta, &fields, &mut out);
            absolute.frame(&meta, &fields, &mut out);
            out.clear();
        }
    }
}

/// The `-Y` filter parser: any text must parse or give a positioned error (never a panic or a
/// stack overflow); an accepted filter must print as text that parses back to the same
/// filter, and must evaluate without panicking on a frame made of the same bytes.
pub fn fuzz_filter_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let filter = match Filter::parse(&text) {
        Ok(filter) => filter,
        Err(e) => {
            assert!(e.position() <= text.len());
            let _ = e.to_string();
            return;
        }
    };
    let printed = filter.to_string();
    let again = Filter::parse(&printed).expect("a printed filter parses");
    assert_eq!(again.to_string(), printed);
    let packet = Packet {
        ts_sec: 0,
        ts_nsec: 0,
        orig_len: data.len() as u32,
        link_type: LinkType::Ethernet,
        data,
    };
    let mut fields = FrameFields::default();
    dissect(&packet, 1, &mut fields);
    assert_eq!(
        filter.matches_packet(&fields, &packet),
        again.matches_packet(&fields, &packet)
    );
}
