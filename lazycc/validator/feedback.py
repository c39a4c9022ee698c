"""Model-readable feedback for the proposer when a rewrite is rejected.

Short, plain text: what failed (alive-tv's reason), the inputs that show it,
source vs target values, and the first named value that differs; for
malformed IR, LLVM's message with the offending line quoted.
"""
from __future__ import annotations

import re

from lazycc.validator.refine import PairResult


def diagnostic_for(pr: PairResult, max_lines: int = 40) -> str:
    lines = [f"function @{pr.src}: {pr.verdict.value}: {pr.reason}"]
    if pr.first_diff:
        lines.append(f"first differing value: {pr.first_diff}")
    if pr.example:
        ex = pr.example.splitlines()
        lines += ex[:max_lines] + ([f"... ({len(ex) - max_lines} more lines)"] if len(ex) > max_lines else [])
    if pr.hit_bound:
        lines.append(f"note: loops checked up to {pr.unroll} back edges")
    return "\n".join(lines)


def malformed_diagnostic(label: str, err: str, text: str) -> str:
    """LLVM's parse/verifier error plus the source line it points at."""
    err = err.strip()
    out = [f"{label} module is malformed IR: {err}"]
    m = re.search(r"<string>:(\d+):(\d+)", err) or re.search(r":(\d+):(\d+):", err)
    if m:
        n = int(m.group(1))
        lines = text.splitlines()
        if 0 < n <= len(lines):
            out.append(f"line {n}: {lines[n - 1].strip()}")
    return "\n".join(out)
