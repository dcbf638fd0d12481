// In generic code the size check runs when the function is instantiated: `u16` to `u8`
// changes the size, so building `main` fails with the macro's message.
use zerocast::{FromBytes, Immutable, IntoBytes};

fn view<Src: IntoBytes + Immutable, Dst: FromBytes + Immutable>(src: &Src) -> &Dst {
    zerocast::transmute_ref!(src)
}

fn main() {
    let _: &u8 = view(&0u16);
}
