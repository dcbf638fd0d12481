#!/usr/bin/env bash
# Prints, for each expression in EXPRESSIONS (default expressions.txt; strings.txt holds the
# string-field expressions answered on the app samples), the frame numbers tshark 4.0 selects from
# CAPTURE with that display filter: "EXPRESSION<TAB>N N N" (an empty list when none match,
# "ERROR" when tshark rejects the expression). Preferences are those of
# ../tshark/tshark-fields.sh (no reassembly, checksums checked, subdissectors called on
# segments tshark's analysis calls retransmissions, since zcdump dissects each frame alone).
# usage: tshark-filters.sh CAPTURE > CAPTURE-NAME.frames.tsv
#        tshark-filters.sh CAPTURE strings.txt > CAPTURE-NAME.strings.tsv
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cap=${1:?capture}
list=${2:-expressions.txt}
while IFS= read -r expr; do
  case "$expr" in ''|'#'*) continue ;; esac
  if frames=$(tshark -n -r "$cap" \
      -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE \
      -o tcp.no_subdissector_on_error:FALSE \
      -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE \
      -Y "$expr" -T fields -e frame.number 2>/dev/null); then
    printf '%s\t%s\n' "$expr" "$(echo $frames)"
  else
    printf '%s\tERROR\n' "$expr"
  fi
done < "$here/$list"
