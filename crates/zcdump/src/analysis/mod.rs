//! Analysis that depends on earlier frames: state carried along each conversation in file
//! order, which the per-frame dissection cannot know. The run loop feeds every frame to it
//! in order (on one thread), and the filter reads the results.

mod streams;
mod tcp;
mod timeline;

pub use streams::{FrameStreams, Streams, TcpNumbers, STREAM_FIELDS};
pub use tcp::{Flag, SegmentAnalysis};
pub use timeline::{write_seconds, FrameTimes, Timeline};
