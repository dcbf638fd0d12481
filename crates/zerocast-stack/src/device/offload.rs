//! What a device can do for the stack beyond carrying frames: segmentation offload (TSO,
//! the device cuts one large TCP segment into MSS-sized ones) and checksum offload.
//!
//! The embedder sets this per device ([`Stack::set_device_offload`]) from what the link
//! really supports (a Linux TUN/TAP opened with the virtio-net header, a NIC's features).
//! With `tso` on, TCP sends a run of full-sized segments as one frame through
//! [`DeviceTx::transmit_gso`](crate::context::DeviceTx::transmit_gso) (`crate::tcp::tso`
//! decides which runs).

use crate::context::DeviceId;
use crate::Stack;

/// A device's offload capabilities. The default is none: every frame is one packet with
/// final checksums, as for a plain link.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct DeviceOffload {
    /// The device segments TCP (IPv4 and IPv6) itself: TCP may hand it frames longer than
    /// the MTU, cut at the MSS.
    pub tso: bool,
    /// The longest GSO frame the device takes, IP header included (at most 65,535: the
    /// IPv4 total length field; Linux's GSO limit is the same).
    pub max_gso_bytes: u32,
}

impl DeviceOffload {
    /// TSO up to the IPv4 limit of 65,535 bytes per frame, as a Linux TUN/TAP takes.
    ///
    /// ```
    /// use zerocast_stack::device::offload::DeviceOffload;
    /// let o = DeviceOffload::tso_64k();
    /// assert!(o.tso);
    /// assert_eq!(o.max_gso_bytes, 65_535);
    /// ```
    #[must_use]
    pub const fn tso_64k() -> DeviceOffload {
        DeviceOffload {
            tso: true,
            max_gso_bytes: 65_535,
        }
    }
}

impl Stack {
    /// Sets what `dev` offloads (see [`DeviceOffload`]). Returns whether `dev` exists.
    ///
    /// ```
    /// use zerocast_stack::device::offload::DeviceOffload;
    /// use zerocast_stack::{Stack, StackConfig};
    /// let mut stack = Stack::new(StackConfig::default());
    /// let tun = stack.add_pure_ip_device(1500);
    /// assert_eq!(stack.device(tun).unwrap().offload, DeviceOffload::default());
    /// assert!(stack.set_device_offload(tun, DeviceOffload::tso_64k()));
    /// assert!(stack.device(tun).unwrap().offload.tso);
    /// ```
    pub fn set_device_offload(&mut self, dev: DeviceId, offload: DeviceOffload) -> bool {
        match self.devices.get_mut(dev.index()) {
            Some(d) => {
                d.offload = DeviceOffload {
                    max_gso_bytes: offload.max_gso_bytes.min(65_535),
                    ..offload
                };
                true
            }
            None => false,
        }
    }
}
