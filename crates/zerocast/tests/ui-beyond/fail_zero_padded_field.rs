// Every field must itself be writable; a reference is not.
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C)]
struct Holder {
    tag: u8,
    name: &'static u32,
}

fn main() {}
