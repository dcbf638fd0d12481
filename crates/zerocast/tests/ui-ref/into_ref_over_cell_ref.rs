// A `Ref` over a `cell::Ref` guard must not become a `&'a T`: the reference
// would stay usable after the guard (and the `RefCell` borrow) is dropped.
use core::cell::{self, RefCell};
use zerocast::Ref;

fn main() {
    let cell = RefCell::new([0u8; 4]);
    let guard = cell::Ref::map(cell.borrow(), |a| &a[..]);
    let r = Ref::<_, [u8; 4]>::from_bytes(guard).unwrap();
    let escaped: &[u8; 4] = Ref::into_ref(r);
    *cell.borrow_mut() = [1; 4];
    assert_eq!(escaped, &[0; 4]);
}
