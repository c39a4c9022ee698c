"""LAZYCC_LOG: one line per decision, appended (kept import-light: pass-throughs log too)."""
from __future__ import annotations

import os
import time


class Logger:
    def __init__(self, path: str):
        self.path = path
        self.prefix = f"[{os.getpid()}]"

    def __call__(self, message: str) -> None:
        if not self.path:
            return
        try:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {self.prefix} {message}\n")
        except OSError:
            pass
