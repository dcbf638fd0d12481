#!/usr/bin/env python3
"""Times a command precisely enough for runs of a few hundredths of a second.

Usage: timeit.py RUNS COMMAND [ARGS...]

Runs COMMAND RUNS times (standard output to /dev/null, standard error kept for a failure
message) and prints one line: "median_wall_s median_cpu_s max_rss_kib min_wall_s min_cpu_s".
Wall time comes from time.perf_counter (CLOCK_MONOTONIC, nanosecond resolution); CPU time
(user + system) from the child's own rusage (os.wait4), which Linux reports in microseconds.
Peak memory comes from one more run under `/usr/bin/time -f %M`: a child's rusage also counts
the memory of the Python process it was started from (before exec), `time`'s children do not
carry that much. /usr/bin/time, which run.sh used before, prints hundredths of a second, so a
0.02 s run could read anywhere from 0.01 to 0.03 and a ratio built on it was only good to
+-50%.
"""

import os
import statistics
import subprocess
import sys
import time


def run_once(command):
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        child = subprocess.Popen(command, stdout=devnull, stderr=subprocess.PIPE)
        # wait4 returns this child's own resource usage, not the sum over all children.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        stderr = child.stderr.read().decode(errors="replace")
        child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"FAILED ({child.returncode}): {' '.join(command)}\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss_kib(command):
    """Peak resident set size of one run, as /usr/bin/time measures it."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", "--"] + command,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return int(out.stderr.strip().splitlines()[-1])


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    results = [run_once(sys.argv[2:]) for _ in range(runs)]
    walls = [r[0] for r in results]
    cpus = [r[1] for r in results]
    print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f} "
          f"{peak_rss_kib(sys.argv[2:])} {min(walls):.4f} {min(cpus):.4f}")


if __name__ == "__main__":
    main()
