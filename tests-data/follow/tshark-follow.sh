#!/usr/bin/env bash
# Writes tshark 4.0's `-q -z follow,SPEC` report for each case of cases.txt to
# CAPTURE.SPEC.txt here (SPEC with commas as dashes), from the captures in ../../samples.
# usage: tshark-follow.sh [OUTPUT-DIR]   (default: this directory)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
while read -r cap spec; do
  case "$cap" in ''|'#'*) continue ;; esac
  tshark -n -r "$here/../../samples/$cap" -q -z "follow,$spec" 2>/dev/null \
    > "$out/$cap.${spec//,/-}.txt"
done < "$here/cases.txt"
