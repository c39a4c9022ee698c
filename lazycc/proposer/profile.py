"""Reading lazification profiles written by instrumented builds.

Format: one line per (site, process) "<site-id> <calls> <uses>"; lines for the
same site (several runs, several translation units) are summed. Unparsable
lines are skipped: a corrupt profile degrades to "no data", never to a wrong
"unused" claim.
"""
from __future__ import annotations


def read_profile(path: str) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    with open(path) as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3:
                continue
            try:
                calls, uses = int(parts[1]), int(parts[2])
            except ValueError:
                continue
            if uses > calls:
                continue
            c0, u0 = out.get(parts[0], (0, 0))
            out[parts[0]] = (c0 + calls, u0 + uses)
    return out
