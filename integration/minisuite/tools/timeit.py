#!/usr/bin/env python3
"""timeit.py -- CMD...: run CMD, then write <output>.time (the value of CMD's -o) holding the
user/sys CPU seconds of the process tree and the wall seconds, as JSON.  Exit with CMD's status.
The mini-suite's stand-in for llvm-test-suite's timeit (compile_time / link_time metrics)."""
import json
import os
import subprocess
import sys
import time

def main(argv):
    if argv and argv[0] == "--":
        argv = argv[1:]
    out = None
    for i, a in enumerate(argv):
        if a == "-o" and i + 1 < len(argv):
            out = argv[i + 1]
        elif a.startswith("-o") and len(a) > 2:
            out = a[2:]
    t0 = time.monotonic()
    p = subprocess.Popen(argv)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    if out is not None and p.returncode == 0:
        with open(out + ".time", "w") as f:
            json.dump({"user": ru.ru_utime, "sys": ru.ru_stime, "wall": wall}, f)
    return p.returncode if p.returncode >= 0 else 128 - p.returncode

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
