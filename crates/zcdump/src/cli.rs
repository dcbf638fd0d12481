//! Command-line arguments (clap), in tshark's and tcpdump's spelling where they overlap.

use clap::{Parser, ValueEnum};

/// Output format for per-frame lines.
///
/// ```
/// use clap::Parser;
/// use zcdump::cli::{Args, OutputFormat};
/// let args = Args::try_parse_from(["zcdump", "-r", "in.pcap", "-T", "jsonl"])?;
/// assert_eq!(args.format, OutputFormat::Jsonl);
/// let default = Args::try_parse_from(["zcdump", "-r", "in.pcap"])?;
/// assert_eq!(default.format, OutputFormat::Text);
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One tcpdump-style line per frame.
    Text,
    /// `-e` fields, tshark's value text, one line per frame.
    Fields,
    /// One JSON object per frame keyed by field name.
    Jsonl,
}

/// A zero-copy capture dissector that prints tshark's fields at tcpdump's speed.
///
/// ```
/// use clap::Parser;
/// use zcdump::cli::{Args, OutputFormat};
/// let args = Args::try_parse_from(["zcdump", "-r", "x.pcap", "-T", "fields", "-e", "ip.src"])
///     ?;
/// assert_eq!(args.format, OutputFormat::Fields);
/// assert_eq!(args.fields, vec!["ip.src".to_string()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Parser)]
#[command(
    name = "zcdump",
    version,
    about = "A zero-copy capture dissector that prints tshark's fields at tcpdump's speed.",
    long_about = None
)]
pub struct Args {
    /// Capture file to read (pcap or pcapng); `-` reads standard input.
    #[arg(short = 'r', value_name = "FILE")]
    pub read: String,

    /// Output format.
    #[arg(short = 'T', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// A field to print with `-T fields` / `-T jsonl` (repeatable), e.g. `-e ip.src`.
    #[arg(short = 'e', value_name = "FIELD")]
    pub fields: Vec<String>,

    /// Field output option: `header=y|n`, `separator=C` (`/t` tab, `/s` space).
    #[arg(short = 'E', value_name = "KEY=VALUE")]
    pub field_options: Vec<String>,

    /// Display filter: only frames matching it are printed and counted.
    #[arg(short = 'Y', value_name = "EXPR")]
    pub filter: Option<String>,

    /// Print the protocol hierarchy, the conversation tables and error counts instead of
    /// frames (as tshark's `-q -z io,phs -z conv,eth|ip|ipv6|tcp|udp`).
    #[arg(long)]
    pub stats: bool,

    /// Print one TCP or UDP stream's payload instead of frames, as tshark's
    /// `-q -z follow,...`: `tcp,ascii,N`, `tcp,raw,N`, `udp,ascii,N` or `udp,raw,N`.
    #[arg(long, value_name = "PROTO,MODE,STREAM")]
    pub follow: Option<crate::follow::FollowSpec>,

    /// List at most N conversations in each `--stats` table (default: all, as tshark).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Threads that dissect frames for `--stats` (default: one per core); the report is
    /// the same for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub threads: Option<usize>,

    /// Stop after this many frames.
    #[arg(short = 'c', value_name = "COUNT")]
    pub count: Option<u64>,

    /// Text lines show absolute TCP sequence numbers (tcpdump's `-S`), not numbers relative
    /// to each conversation's start.
    #[arg(short = 'S')]
    pub absolute_seq: bool,

    /// Accepted for tcpdump/tshark compatibility; zcdump never resolves names.
    #[arg(short = 'n')]
    pub numeric: bool,

    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}
