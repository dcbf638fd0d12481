// The generic form of `try_transmute_ref!` checks sizes when instantiated: `u32` to `bool`.
use zerocast::{Immutable, IntoBytes, TryFromBytes};

fn check<Src: IntoBytes + Immutable, Dst: TryFromBytes + Immutable>(src: &Src) -> bool {
    let r: Result<&Dst, _> = zerocast::try_transmute_ref!(src);
    r.is_ok()
}

fn main() {
    let _ = check::<u32, bool>(&1);
}
