#!/usr/bin/env bash
# Prints what tshark 4.0 reports as statistics of a capture: the protocol hierarchy
# (-z io,phs) and the Ethernet, IPv4, IPv6, TCP and UDP conversation tables (-z conv,...),
# in the order zcdump --stats prints them. Preferences are those of
# ../tshark/tshark-fields.sh (no reassembly, checksums checked, subdissectors called on every
# segment: zcdump dissects each frame alone), and MAC addresses are not named (zcdump has no
# vendor table; tshark's conversation tables name them even with -n).
# usage: tshark-stats.sh CAPTURE > CAPTURE-NAME.stats.txt
#        tshark-stats.sh --all      (rewrites the answer of every sample in ../../samples)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --all ]; then
  for cap in "$here"/../../samples/*.pcap "$here"/../../samples/*.pcapng; do
    [ -e "$cap" ] || continue
    "$0" "$cap" > "$here/$(basename "$cap").stats.txt"
  done
  exit 0
fi
cap=${1:?capture}
# tshark prints the -z reports in the reverse order of the options.
exec tshark -n -r "$cap" -q \
  -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE \
  -o tcp.no_subdissector_on_error:FALSE \
  -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE \
  -o nameres.mac_name:FALSE \
  -z conv,udp -z conv,tcp -z conv,ipv6 -z conv,ip -z conv,eth -z io,phs 2>/dev/null
