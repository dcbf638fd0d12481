//! zcstack: zerocast-stack on a Linux TAP/TUN device.
#![forbid(unsafe_code)]

fn main() {
    eprintln!("zcstack: not built yet");
    std::process::exit(2);
}
