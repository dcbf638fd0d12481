//! `--stats` over batches: the main thread reads the capture a buffer at a time, workers
//! dissect and tally the batches, and the tallies are merged in file order. Counting needs
//! no output order, so unlike the per-frame outputs it can use every core; merging in file
//! order makes the report identical whatever the number of threads.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::capture::{Batch, CaptureError, CaptureReader};
use crate::dissect::{dissect, dissect_in_order, Conversations};
use crate::fields::{FieldMask, FrameFields};
use crate::filter::Filter;
use crate::stats::{Stats, Tally};

/// Batches queued per worker: enough to keep it busy while the reader refills, few enough
/// that memory stays a few buffers per thread.
const QUEUE_PER_WORKER: usize = 2;

/// What each worker needs to turn a batch into a tally.
#[derive(Clone, Copy)]
pub(crate) struct Counting<'a> {
    /// The fields the statistics and the filter read.
    pub wanted: FieldMask,
    pub filter: Option<&'a Filter>,
}

/// A batch, the number of its first frame, and the tally to fill from it.
struct Job {
    batch: Batch,
    first_number: u64,
    tally: Tally,
}

impl Counting<'_> {
    /// The field set each worker fills. The statistics read the layer log that it records
    /// during dissection, so the occurrence list is kept only for a filter to read.
    fn frame_fields(&self) -> FrameFields {
        let f = FrameFields::with_mask(self.wanted);
        if self.filter.is_some() {
            f
        } else {
            f.without_entries()
        }
    }

    /// Dissects and counts a batch; `memory` holds what the earlier frames' conversations
    /// showed when batches come in file order (one thread), so a filter's answers on them
    /// are tshark's. Without it each frame's assumptions are settled when the tally is
    /// merged, which serves the counts but not a filter that reads them.
    fn tally(
        &self,
        job: &mut Job,
        frame: &mut FrameFields,
        mut memory: Option<&mut Conversations>,
    ) {
        for (number, packet) in (job.first_number..).zip(job.batch.packets()) {
            frame.clear();
            match memory.as_deref_mut() {
                Some(memory) => dissect_in_order(&packet, number, frame, memory),
                None => dissect(&packet, number, frame),
            }
            let time_ns = i128::from(packet.ts_sec) * 1_000_000_000 + i128::from(packet.ts_nsec);
            job.tally.see_frame(time_ns);
            if self
                .filter
                .is_some_and(|f| !f.matches_packet(frame, &packet))
            {
                continue;
            }
            job.tally.add_at(
                frame,
                u64::from(packet.orig_len),
                packet.data.len() < packet.orig_len as usize,
                time_ns,
            );
        }
    }
}

/// Counts every frame of `reader` (at most `limit`) into `stats` on `threads` worker
/// threads (none when `threads` is 1); `progress` hears the file offset after each batch.
///
/// # Errors
/// The capture's fault, after every earlier frame was counted.
pub(crate) fn count<R: Read>(
    reader: &mut CaptureReader<R>,
    counting: Counting<'_>,
    stats: &mut Stats,
    threads: usize,
    limit: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<(), CaptureError> {
    if threads <= 1 {
        let mut frame = counting.frame_fields();
        let mut job = Job {
            batch: Batch::default(),
            first_number: 1,
            tally: Tally::default(),
        };
        let mut memory = Conversations::default();
        let mut left = limit;
        while left > 0 && reader.next_batch(&mut job.batch, left)? {
            counting.tally(&mut job, &mut frame, Some(&mut memory));
            stats.merge(&mut job.tally);
            left -= job.batch.len() as u64;
            job.first_number += job.batch.len() as u64;
            progress(reader.offset());
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let mut workers: Vec<(SyncSender<Job>, Receiver<Job>)> = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (job_tx, job_rx) = sync_channel::<Job>(QUEUE_PER_WORKER);
            let (done_tx, done_rx) = sync_channel::<Job>(QUEUE_PER_WORKER);
            scope.spawn(move || {
                let mut frame = counting.frame_fields();
                for mut job in job_rx {
                    counting.tally(&mut job, &mut frame, None);
                    if done_tx.send(job).is_err() {
                        break;
                    }
                }
            });
            workers.push((job_tx, done_rx));
        }
        // Batches go to the workers in turn and come back in the same turn, so merging
        // them as they return is merging them in file order.
        let mut in_flight: VecDeque<usize> = VecDeque::new();
        let mut spare: Vec<Job> = Vec::new();
        let mut merge_oldest = |in_flight: &mut VecDeque<usize>, spare: &mut Vec<Job>| {
            let Some(w) = in_flight.pop_front() else {
                return;
            };
            // A worker only stops early if the main thread went away, so this receives.
            if let Ok(mut job) = workers[w].1.recv() {
                stats.merge(&mut job.tally);
                spare.push(job);
            }
        };
        let (mut next_number, mut turn) = (1u64, 0usize);
        let result = loop {
            if next_number > limit {
                break Ok(());
            }
            if in_flight.len() >= threads * QUEUE_PER_WORKER {
                merge_oldest(&mut in_flight, &mut spare);
            }
            let mut job = spare.pop().unwrap_or_else(|| Job {
                batch: Batch::default(),
                first_number: 0,
                tally: Tally::default(),
            });
            match reader.next_batch(&mut job.batch, limit - (next_number - 1)) {
                Ok(true) => {}
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
            job.first_number = next_number;
            next_number += job.batch.len() as u64;
            if workers[turn].0.send(job).is_err() {
                break Ok(());
            }
            in_flight.push_back(turn);
            turn = (turn + 1) % threads;
            progress(reader.offset());
        };
        while !in_flight.is_empty() {
            merge_oldest(&mut in_flight, &mut spare);
        }
        // Dropping the senders ends the workers' loops; the scope joins them.
        drop(workers);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::checksum::checksum;

    /// An Ethernet/IPv4/UDP frame (or, every 5th, a TCP segment with a wrong checksum, and
    /// every 11th a cut IPv4 header) between hosts and ports that vary with `i`, so the
    /// capture holds many conversations of very different sizes.
    fn frame(i: usize) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        let tcp = i.is_multiple_of(5);
        let payload = (i * 31) % 300;
        let upper = if tcp { 20 } else { 8 } + payload;
        let total = (20 + upper) as u16;
        let mut ip = vec![
            0x45,
            0,
            0,
            0,
            0,
            0,
            0x40,
            0,
            64,
            if tcp { 6 } else { 17 },
            0,
            0,
        ];
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip.extend_from_slice(&[10, 0, (i % 7) as u8, 1, 10, 1, (i % 13) as u8, 2]);
        let sum = checksum(&ip);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        f.extend_from_slice(&ip);
        let sport = 1024 + (i % 97) as u16 * 3;
        f.extend_from_slice(&sport.to_be_bytes());
        // The discard port: no dissector reads the filler payload (on port 53 it would be
        // DNS, and malformed).
        f.extend_from_slice(&9u16.to_be_bytes());
        if tcp {
            f.extend_from_slice(&[
                0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0xde, 0xad, 0, 0,
            ]);
        } else {
            f.extend_from_slice(&(upper as u16).to_be_bytes());
            f.extend_from_slice(&[0, 0]);
        }
        f.extend(std::iter::repeat_n(0x5a, payload));
        if i.is_multiple_of(11) {
            f.truncate(14 + 12);
        }
        f
    }

    /// An Ethernet/IPv4/TCP segment to port 80 in conversation `i % 50`: an HTTP request
    /// in the conversation's 200th segment, a line of text that starts no message in
    /// every other.
    fn http_frame(i: usize) -> Vec<u8> {
        let payload: &[u8] = if i / 50 == 200 {
            b"GET / HTTP/1.1\r\n\r\n"
        } else {
            b"more text\r\n"
        };
        let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        let total = (40 + payload.len()) as u16;
        let mut ip = vec![
            0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        let sum = checksum(&ip);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        f.extend_from_slice(&ip);
        f.extend_from_slice(&(40_000 + (i % 50) as u16).to_be_bytes());
        f.extend_from_slice(&[
            0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0,
        ]);
        f.extend_from_slice(payload);
        f
    }

    fn capture(frames: usize) -> Vec<u8> {
        capture_of(frames, frame)
    }

    fn capture_of(frames: usize, frame: fn(usize) -> Vec<u8>) -> Vec<u8> {
        let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        file.extend_from_slice(&65535u32.to_le_bytes());
        file.extend_from_slice(&1u32.to_le_bytes());
        for i in 0..frames {
            let data = frame(i);
            for v in [i as u32, 0, data.len() as u32, data.len() as u32] {
                file.extend_from_slice(&v.to_le_bytes());
            }
            file.extend_from_slice(&data);
        }
        file
    }

    fn report(file: &[u8], threads: usize, filter: Option<&Filter>, limit: u64) -> String {
        let mut reader = CaptureReader::open(file).expect("capture");
        let counting = Counting {
            wanted: FieldMask::ALL,
            filter,
        };
        let mut stats = Stats::new(20).with_max_conversations(40);
        count(
            &mut reader,
            counting,
            &mut stats,
            threads,
            limit,
            &mut |_| {},
        )
        .expect("counted");
        let mut out = Vec::new();
        stats.write(&mut out, None).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    /// A segment that starts no HTTP message is `http` only after a request in its
    /// conversation (tshark 4.0): whichever batch and thread saw the request, the
    /// continuations before it are `tcp` alone and those after it `http` with `data`.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn http_continuations_count_only_after_a_request_for_any_number_of_threads() {
        // 50 conversations of 400 segments, the request 200th in each: 1.6 MB, several
        // batches, the requests in a middle one.
        let file = capture_of(20_000, http_frame);
        for threads in [1, 2, 3, 8] {
            let report = report(&file, threads, None, u64::MAX);
            // 50 requests (72-byte frames) and 50 * 199 continuations (65 bytes each).
            let http = 50 + 50 * 199;
            let bytes = 50 * 72 + 50 * 199 * 65;
            assert!(
                report.contains(&format!("{:<41}frames:{http} bytes:{bytes}", "      http")),
                "{threads} threads:\n{report}"
            );
            assert!(
                report.contains(&format!("{:<41}frames:20000 ", "    tcp")),
                "{threads} threads:\n{report}"
            );
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)]
    fn report_is_the_same_for_any_number_of_threads() {
        // Several batches' worth, with more conversations than the table keeps.
        let file = capture(12_000);
        let filter = Filter::parse("udp || tcp.flags == 0x0002").expect("filter");
        for (filter, limit) in [(None, u64::MAX), (Some(&filter), u64::MAX), (None, 5000)] {
            let one = report(&file, 1, filter, limit);
            assert!(one.contains("small ones dropped"), "{one}");
            for threads in [2, 3, 8] {
                assert_eq!(
                    report(&file, threads, filter, limit),
                    one,
                    "{threads} threads"
                );
            }
        }
        let all = report(&file, 4, None, u64::MAX);
        assert!(all.contains("Frames: 12000 "), "{all}");
        // Every 11th frame is cut; every 5th is TCP with a bad checksum unless it is cut.
        assert!(all.contains("Malformed frames: 1091\n"), "{all}");
        assert!(
            all.contains("Bad checksums: 2181 (in 2181 frames)"),
            "{all}"
        );
    }

    #[test]
    #[cfg_attr(miri, ignore)]
    fn a_filter_that_every_frame_passes_gives_the_report_of_no_filter() {
        // The filter makes the workers keep more fields (those it reads).
        let file = capture(3000);
        let every = Filter::parse("frame").expect("filter");
        for threads in [1, 3] {
            assert_eq!(
                report(&file, threads, None, u64::MAX),
                report(&file, threads, Some(&every), u64::MAX),
                "{threads} threads"
            );
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)]
    fn a_fault_after_several_batches_is_reported_by_every_thread_count() {
        let mut file = capture(3000);
        file.truncate(file.len() - 5);
        for threads in [1, 2, 5] {
            let mut reader = CaptureReader::open(&file[..]).expect("capture");
            let counting = Counting {
                wanted: FieldMask::ALL,
                filter: None,
            };
            let mut stats = Stats::new(5);
            let err = count(
                &mut reader,
                counting,
                &mut stats,
                threads,
                u64::MAX,
                &mut |_| {},
            )
            .expect_err("truncated");
            assert!(err.to_string().contains("truncated"), "{err}");
        }
    }
}
