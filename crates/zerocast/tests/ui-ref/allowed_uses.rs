// The twin of the compile-fail cases: what is allowed.
use core::cell::{self, RefCell};
use zerocast::{FromBytes, Ref};

fn main() {
    // Over a plain slice, `into_ref` gives a reference that lives as long as
    // the slice.
    let bytes = [1u8, 2, 3, 4];
    let r = Ref::<_, [u8; 4]>::from_bytes(&bytes[..]).unwrap();
    let plain: &[u8; 4] = Ref::into_ref(r);
    assert_eq!(plain, &[1, 2, 3, 4]);

    // Over a guard, the view is used while the guard lives, and the guard
    // comes back out with `into_bytes`.
    let cell = RefCell::new([5u8; 4]);
    {
        let guard = cell::Ref::map(cell.borrow(), |a| &a[..]);
        let r = Ref::<_, [u8; 4]>::from_bytes(guard).unwrap();
        assert_eq!(*r, [5; 4]);
        let guard: cell::Ref<'_, [u8]> = Ref::into_bytes(r);
        assert_eq!(guard.len(), 4);
    }
    let guard = cell::RefMut::map(cell.borrow_mut(), |a| &mut a[..]);
    let mut r = Ref::<_, [u8; 4]>::from_bytes(guard).unwrap();
    r[0] = 9;
    drop(r);
    assert_eq!(cell.borrow()[0], 9);

    // Zero-sized trailing elements: `Ref` takes none (ref_zst_elems_needs_count.rs),
    // the trait's `_with_elems` form takes them with the count given.
    let units = <[()]>::ref_from_bytes_with_elems(&bytes[..0], 3).unwrap();
    assert_eq!(units.len(), 3);
    let r = Ref::<_, [u8]>::from_bytes_with_elems(&bytes[..3], 3).unwrap();
    assert_eq!(&*r, &[1, 2, 3]);
}
