//! Any byte string as a frame of every supported link type: dissection and every output
//! format must complete without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcdump::capture::{LinkType, Packet};
use zcdump::dissect::dissect;
use zcdump::fields::{Field, FrameFields};
use zcdump::output::{FieldsWriter, FrameMeta, JsonlWriter, LineWriter, TextWriter};

fuzz_target!(|data: &[u8]| {
    let all: Vec<Field> = Field::all().chain(Field::extras()).collect();
    let mut fields = FrameFields::default();
    let mut out = Vec::new();
    for link_type in [
        LinkType::Ethernet,
        LinkType::RawIp,
        LinkType::LinuxSll,
        LinkType::LinuxSll2,
    ] {
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
            let meta = FrameMeta {
                frame: data,
                ..FrameMeta::default()
            };
            FieldsWriter::new(all.clone(), b'\t').frame(&meta, &fields, &mut out);
            JsonlWriter::new(all.clone()).frame(&meta, &fields, &mut out);
            TextWriter::relative().frame(&meta, &fields, &mut out);
            TextWriter::absolute().frame(&meta, &fields, &mut out);
            out.clear();
        }
    }
});
