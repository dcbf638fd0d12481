//! The run loop: open the input, dissect every frame once, feed the chosen output or the
//! statistics, and turn every failure into a message and an exit status (never a panic).

mod stats;

use std::fmt;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::analysis::Streams;
use crate::capture::{CaptureError, CaptureReader};
use crate::cli::{Args, OutputFormat};
use crate::dissect::{dissect_in_order, Conversations};
use crate::fields::{Field, FieldMask, FrameFields};
use crate::filter::{Filter, FilterError};
use crate::follow::Follower;
use crate::output::{
    Column, FieldsWriter, FrameContext, FrameMeta, JsonlWriter, LineWriter, TextWriter,
};
use crate::stats::Stats;

/// Output is handed to the OS in blocks of about this size.
const FLUSH_AT: usize = 64 * 1024;
/// Files at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 64 * 1024 * 1024;

/// Why a run failed; the `Display` text is what the user sees.
///
/// ```
/// use zcdump::filter::Filter;
/// use zcdump::run::RunError;
/// let bad = Filter::parse("ip.ttl >>").map_err(RunError::Filter);
/// let Err(e) = bad else { panic!("not a filter") };
/// assert_eq!(e.exit_code(), 2); // a usage problem, like a bad option
/// assert!(e.to_string().starts_with("invalid filter"));
/// ```
#[derive(Debug)]
pub enum RunError {
    /// The command line is inconsistent (exit status 2).
    Usage(String),
    /// The `-Y` expression does not parse (exit status 2).
    Filter(FilterError),
    /// The input could not be opened (exit status 1).
    Open(String, io::Error),
    /// The capture file is malformed (exit status 1), after every earlier frame was printed.
    Capture(CaptureError),
    /// Writing the output failed for a reason other than a closed pipe (exit status 1).
    Output(io::Error),
}

impl RunError {
    /// The process exit status for this error.
    ///
    /// ```
    /// use zcdump::run::RunError;
    /// assert_eq!(RunError::Usage("x".into()).exit_code(), 2);
    /// ```
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        match self {
            RunError::Usage(_) | RunError::Filter(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Usage(m) => write!(f, "{m}"),
            RunError::Filter(e) => write!(f, "{e}"),
            RunError::Open(path, e) => write!(f, "cannot open '{path}': {e}"),
            RunError::Capture(e) => write!(f, "{e}"),
            RunError::Output(e) => write!(f, "cannot write output: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Everything decided from the arguments before the input is touched.
struct Plan {
    writer: Option<Box<dyn LineWriter>>,
    /// Every field something will read; the dissector skips the rest.
    wanted: FieldMask,
    filter: Option<Filter>,
    stats: Option<Stats>,
    /// `--follow`: replaces the per-frame output.
    follower: Option<Follower>,
}

fn field_list(names: &[String]) -> Result<Vec<Column>, RunError> {
    names
        .iter()
        .map(|n| {
            Column::from_name(n).ok_or_else(|| {
                let hint = crate::fields::closest_name(n, false)
                    .map(|k| format!(" (did you mean '{k}'?)"))
                    .unwrap_or_default();
                RunError::Usage(format!("unknown field '{n}' in -e{hint}"))
            })
        })
        .collect()
}

fn plan(args: &Args) -> Result<Plan, RunError> {
    let filter = args
        .filter
        .as_deref()
        .map(Filter::parse)
        .transpose()
        .map_err(RunError::Filter)?;
    let fields = field_list(&args.fields)?;
    let mut header = false;
    let mut separator = b'\t';
    for opt in &args.field_options {
        match opt.split_once('=') {
            Some(("header", "y")) => header = true,
            Some(("header", "n")) => header = false,
            Some(("separator", "/t")) => separator = b'\t',
            Some(("separator", "/s")) => separator = b' ',
            Some(("separator", s)) if s.len() == 1 => separator = s.as_bytes()[0],
            _ => return Err(RunError::Usage(format!("unsupported -E option '{opt}'"))),
        }
    }
    if args.stats && (args.format != OutputFormat::Text || !args.fields.is_empty()) {
        return Err(RunError::Usage(
            "--stats prints a report instead of frames, so -T and -e do not apply to it".into(),
        ));
    }
    if args.format != OutputFormat::Fields && !args.field_options.is_empty() {
        return Err(RunError::Usage(
            "-E options shape -T fields output only (add -T fields)".into(),
        ));
    }
    if args.format == OutputFormat::Text && !fields.is_empty() {
        return Err(RunError::Usage(
            "-e selects the fields of -T fields or -T jsonl; the default text output has a \
             fixed layout (add -T fields)"
                .into(),
        ));
    }
    if args.follow.is_some() && (args.stats || !fields.is_empty()) {
        return Err(RunError::Usage(
            "--follow prints one stream instead of frames, so --stats, -T and -e do not apply"
                .into(),
        ));
    }
    let follower = args.follow.map(Follower::new);
    let writer: Option<Box<dyn LineWriter>> = match args.format {
        _ if args.stats || follower.is_some() => None,
        OutputFormat::Text if args.absolute_seq => Some(Box::new(TextWriter::absolute())),
        OutputFormat::Text => Some(Box::new(TextWriter::relative())),
        OutputFormat::Fields if fields.is_empty() => {
            return Err(RunError::Usage(
                "-T fields needs at least one -e FIELD".into(),
            ))
        }
        OutputFormat::Fields => Some(Box::new(
            FieldsWriter::with_columns(fields, separator).with_header(header),
        )),
        OutputFormat::Jsonl if fields.is_empty() => {
            Some(Box::new(JsonlWriter::new(Field::all().collect())))
        }
        OutputFormat::Jsonl => Some(Box::new(JsonlWriter::with_columns(fields))),
    };
    let stats = args
        .stats
        .then(|| Stats::new(args.top.unwrap_or(usize::MAX)));
    let mut wanted = FieldMask::NONE;
    if let Some(w) = &writer {
        wanted = wanted.union(w.fields_read());
    }
    if let Some(f) = &filter {
        wanted = wanted.union(f.fields_read());
    }
    if stats.is_some() {
        wanted = wanted.union(FieldMask::of(Stats::FIELDS));
    }
    if follower.is_some() {
        wanted = crate::follow::fields_read(wanted);
    }
    Ok(Plan {
        writer,
        wanted,
        filter,
        stats,
        follower,
    })
}

/// Runs zcdump with `args`, writing frames and statistics to `out`.
///
/// A closed output pipe ends the run successfully. Standard input is used for `-r -`.
///
/// # Errors
/// A [`RunError`]; for a malformed capture every frame before the fault has been written.
///
/// ```
/// use clap::Parser;
/// let args = zcdump::cli::Args::try_parse_from([
///     "zcdump", "-r", "../../samples/kernel-mix.pcap", "-c", "2",
///     "-T", "fields", "-e", "frame.number", "-e", "eth.type",
/// ])?;
/// let mut out = Vec::new();
/// zcdump::run::run(&args, &mut out)?;
/// assert_eq!(out, b"1\t0x86dd\n2\t0x86dd\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(args: &Args, out: &mut dyn Write) -> Result<(), RunError> {
    let plan = plan(args)?;
    if args.read == "-" {
        let stdin = io::stdin();
        walk(args, plan, stdin.lock(), None, out)
    } else {
        let file = File::open(&args.read).map_err(|e| RunError::Open(args.read.clone(), e))?;
        let metadata = file.metadata().ok();
        if metadata.as_ref().is_some_and(std::fs::Metadata::is_dir) {
            // Opening a directory succeeds on Unix; reading it would fail with a less
            // helpful message.
            let e = io::Error::other("it is a directory, not a capture file");
            return Err(RunError::Open(args.read.clone(), e));
        }
        let size = metadata.map(|m| m.len());
        walk(args, plan, file, size, out)
    }
}

fn progress_bar(args: &Args, size: Option<u64>) -> Option<ProgressBar> {
    let size = size.filter(|s| *s >= PROGRESS_MIN_BYTES)?;
    if args.no_progress || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}") {
        bar.set_style(style);
    }
    Some(bar)
}

/// `Ok(false)` means the reader of our output went away: stop quietly.
fn flush(buf: &mut Vec<u8>, out: &mut dyn Write) -> Result<bool, RunError> {
    let result = out.write_all(buf).and_then(|()| out.flush());
    buf.clear();
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(RunError::Output(e)),
    }
}

fn walk(
    args: &Args,
    mut plan: Plan,
    input: impl Read,
    size: Option<u64>,
    out: &mut dyn Write,
) -> Result<(), RunError> {
    let mut buf = Vec::with_capacity(FLUSH_AT * 2);
    let bar = progress_bar(args, size);
    let mut reader = CaptureReader::open(input).map_err(RunError::Capture)?;
    if let Some(w) = &plan.writer {
        w.header(&mut buf);
    }
    if let Some(stats) = &mut plan.stats {
        let counting = stats::Counting {
            wanted: plan.wanted,
            filter: plan.filter.as_ref(),
        };
        let threads = args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        // Stream indices depend on every earlier frame, and so does whether a segment is
        // an HTTP continuation: a filter reading them runs on one thread, in file order.
        let in_order = |f: &Filter| f.reads_streams() || f.reads_conversation_memory();
        let threads = if plan.filter.as_ref().is_some_and(in_order) {
            1
        } else {
            threads
        };
        let mut progress = |offset| {
            if let Some(bar) = &bar {
                bar.set_position(offset);
            }
        };
        let limit = args.count.unwrap_or(u64::MAX);
        let result = stats::count(&mut reader, counting, stats, threads, limit, &mut progress);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        result.map_err(RunError::Capture)?;
        if let Err(e) = stats.write(&mut buf, args.filter.as_deref()) {
            return Err(RunError::Output(e));
        }
        flush(&mut buf, out)?;
        return Ok(());
    }
    let mut frame = FrameFields::with_mask(plan.wanted);
    // Nobody asks which protocols a frame holds: protocols whose fields nobody reads may
    // be left undissected.
    if plan.filter.is_none()
        && plan.follower.is_none()
        && plan.writer.as_ref().is_some_and(|w| !w.reads_protocols())
    {
        frame = frame.summary_only();
    }
    // One conversation table for the filter and the writer, fed every frame in order.
    let mut table = (plan.filter.as_ref().is_some_and(Filter::reads_streams)
        || plan.writer.as_ref().is_some_and(|w| w.needs_analysis())
        || plan.follower.is_some())
    .then(Streams::default);
    // What earlier frames' conversations showed (an HTTP request): frames come in order.
    let mut memory = Conversations::default();
    let mut number = 0u64;
    let result = loop {
        if args.count.is_some_and(|c| number >= c) {
            break Ok(());
        }
        let packet = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break Ok(()),
            Err(e) => break Err(RunError::Capture(e)),
        };
        number += 1;
        frame.clear();
        dissect_in_order(&packet, number, &mut frame, &mut memory);
        let time = u128::from(packet.ts_sec) * 1_000_000_000 + u128::from(packet.ts_nsec);
        let analysis = table.as_mut().map(|t| t.observe(&frame, time));
        // As tshark's taps, --follow hears every frame; -Y only chooses what is printed.
        if let (Some(follower), Some(a)) = (&mut plan.follower, &analysis) {
            follower.observe(&frame, &packet, a);
        }
        let pass = match (&plan.filter, &analysis) {
            (None, _) => true,
            (Some(f), Some(a)) => f.matches_with_streams(&frame, &packet, a),
            (Some(f), None) => f.matches_packet(&frame, &packet),
        };
        if !pass {
            continue;
        }
        if let Some(t) = &mut table {
            t.mark_displayed();
        }
        if let Some(w) = &mut plan.writer {
            let meta = FrameMeta {
                number,
                ts_sec: packet.ts_sec,
                ts_nsec: packet.ts_nsec,
                frame: packet.data,
            };
            let context = FrameContext {
                packet: Some(&packet),
                analysis: analysis.as_ref(),
            };
            w.frame_with(&meta, &frame, &context, &mut buf);
            if buf.len() >= FLUSH_AT && !flush(&mut buf, out)? {
                return Ok(());
            }
        }
        if number.is_multiple_of(8192) {
            if let Some(bar) = &bar {
                bar.set_position(reader.offset());
            }
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(follower) = &plan.follower {
        follower.write(&mut buf);
    }
    // Frames before a fault are printed before the error is reported.
    if !flush(&mut buf, out)? {
        return Ok(());
    }
    result
}
