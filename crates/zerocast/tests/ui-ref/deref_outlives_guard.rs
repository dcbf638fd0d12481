// Borrowing through `Deref` ties the reference to the `Ref` (and so to the
// guard inside it): it cannot be used after the `Ref` is dropped.
use core::cell::{self, RefCell};
use zerocast::Ref;

fn main() {
    let cell = RefCell::new([0u8; 4]);
    let escaped: &[u8; 4];
    {
        let guard = cell::Ref::map(cell.borrow(), |a| &a[..]);
        let r = Ref::<_, [u8; 4]>::from_bytes(guard).unwrap();
        escaped = &*r;
    }
    *cell.borrow_mut() = [1; 4];
    assert_eq!(escaped, &[0; 4]);
}
