// An enum's padding depends on its variant; `ZeroPadded` is derived for structs only.
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C, u8)]
enum Message {
    Short(u8),
    Long(u32),
}

fn main() {}
