// Same for `into_mut` over a `cell::RefMut` guard.
use core::cell::{self, RefCell};
use zerocast::Ref;

fn main() {
    let cell = RefCell::new([0u8; 4]);
    let guard = cell::RefMut::map(cell.borrow_mut(), |a| &mut a[..]);
    let r = Ref::<_, [u8; 4]>::from_bytes(guard).unwrap();
    let escaped: &mut [u8; 4] = Ref::into_mut(r);
    let other = cell.borrow();
    escaped[0] = 1;
    drop(other);
}
