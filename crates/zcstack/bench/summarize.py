#!/usr/bin/env python3
"""Summarizes a benchmark script's RESULT lines (`KEY VALUE`, one per measurement, several
rounds per key) as a Markdown table: the median, the range and every value in run order,
then the ratios named on the command line (`A/B`: median of A over median of B).

    summarize.py RESULTS [A/B ...]
"""
import statistics
import sys


def main():
    values = {}
    order = []
    with open(sys.argv[1]) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 2:
                continue
            key, value = parts
            try:
                v = float(value)
            except ValueError:
                continue
            if key not in values:
                values[key] = []
                order.append(key)
            values[key].append(v)
    med = {k: statistics.median(v) for k, v in values.items()}
    print("| measurement | median | min-max | runs |")
    print("|---|---|---|---|")
    for k in order:
        v = values[k]
        runs = ", ".join(f"{x:.6g}" for x in v)
        print(f"| {k} | {med[k]:.6g} | {min(v):.6g}-{max(v):.6g} | {runs} |")
    if len(sys.argv) > 2:
        print()
        print("| ratio | value |")
        print("|---|---|")
        for spec in sys.argv[2:]:
            a, b = spec.split("/")
            if a in med and b in med and med[b] != 0:
                print(f"| {a} / {b} | {med[a] / med[b]:.3g} |")
            else:
                print(f"| {a} / {b} | n/a (not measured) |")


main()
