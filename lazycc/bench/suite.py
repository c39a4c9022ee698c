"""`lazycc-bench test-suite`: build and run an llvm-test-suite checkout (or the mini-suite) under
each configuration.

Steps, each recorded in DIR/state.json once done (a finished step is not redone; lit results are
also recognised by their file alone):

    configure:<cfg>   fresh DIR/build/<cfg>, cmake -G Ninja -C <suite>/cmake/caches/<cache>.cmake ...
    train:profile     (profile only) instrumented build DIR/build/profile-train with
                      LAZYCC_PROFILE_GENERATE=DIR/profile-data, one lit run -> DIR/train/run1.json
    build:<cfg>       ninja -k 0 (wall time recorded; failed targets listed)
    run:<cfg>:<i>     lit -j1 -o DIR/results/<cfg>/run<i>.json, interleaved: run 1 of every
                      configuration, then run 2, ... so drifting machine load spreads evenly.

Every configuration compiles C through DIR/bin/<cfg>/cc (configs.write_wrapper) and C++ with
clang++-22 (lazycc is a C driver; the suite always needs a C++ compiler).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from lazycc.bench import configs as cfgs

LIT_LINE = re.compile(r"^([A-Z]+): (.+?) \((\d+) of (\d+)\)\s*$")
NINJA_LINE = re.compile(r"^\[(\d+)/(\d+)\]")


class BenchError(Exception):
    """A user-facing error: printed without a traceback, exit status 2."""


def say(msg: str) -> None:
    print(f"lazycc-bench: {msg}", file=sys.stderr, flush=True)


# --- state ------------------------------------------------------------------------------------------

@dataclass
class State:
    path: str
    data: dict = field(default_factory=dict)

    @classmethod
    def load(cls, out: str) -> "State":
        p = os.path.join(out, "state.json")
        data = {}
        if os.path.exists(p):
            with open(p) as f:
                data = json.load(f)
        data.setdefault("done", [])
        data.setdefault("builds", {})
        data.setdefault("skipped", {})
        data.setdefault("configs", [])
        return cls(p, data)

    def save(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        os.replace(tmp, self.path)

    def done(self, step: str) -> bool:
        return step in self.data["done"]

    def mark(self, step: str) -> None:
        if step not in self.data["done"]:
            self.data["done"].append(step)
        self.save()

    def unmark(self, step: str) -> None:
        if step in self.data["done"]:
            self.data["done"].remove(step)
            self.save()


# --- suite checks -------------------------------------------------------------------------------------

def check_suite(suite: str, subdirs: list[str], cache_file: str) -> None:
    """Raise BenchError unless `suite` looks like an llvm-test-suite checkout (or our mini-suite)."""
    problems = []
    top = os.path.join(suite, "CMakeLists.txt")
    if not os.path.isdir(suite):
        raise BenchError(f"--suite {suite}: no such directory")
    if not os.path.exists(top):
        problems.append("no CMakeLists.txt")
    else:
        with open(top, errors="replace") as f:
            if not re.search(r"project\s*\(\s*test-suite\b", f.read()):
                problems.append("CMakeLists.txt does not declare project(test-suite ...)")
    if not os.path.exists(os.path.join(suite, "lit.cfg")):
        problems.append("no lit.cfg")
    cache = os.path.join(suite, "cmake", "caches", cache_file + ".cmake")
    if not os.path.exists(cache):
        problems.append(f"no cmake/caches/{cache_file}.cmake")
    for d in subdirs:
        if not os.path.isdir(os.path.join(suite, d)):
            problems.append(f"no directory {d}/ (from --subdirs)")
    if problems:
        raise BenchError(f"--suite {suite} is not an llvm-test-suite checkout: " + "; ".join(problems)
                         + " (get one with: git clone https://github.com/llvm/llvm-test-suite)")


# --- running commands with progress ------------------------------------------------------------------

def run_logged(cmd: list[str], log: str, cwd: str, env: dict | None = None,
               progress: Callable[[str], None] | None = None) -> int:
    """Run `cmd`, appending its combined output to `log`, feeding each line to `progress`."""
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "a") as lf:
        lf.write(f"$ cd {cwd} && {' '.join(cmd)}\n")
        lf.flush()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace", bufsize=1)
        assert p.stdout is not None
        for line in p.stdout:
            lf.write(line)
            if progress:
                progress(line.rstrip("\n"))
        return p.wait()


class Bar:
    """A tqdm bar whose total is learnt from the tool's own "n of m" output."""

    def __init__(self, desc: str, regex: re.Pattern, done_group: int, total_group: int):
        self.desc, self.regex, self.dg, self.tg = desc, regex, done_group, total_group
        self.bar = None
        self.codes: dict[str, int] = {}

    def __call__(self, line: str) -> None:
        m = self.regex.match(line)
        if not m:
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=int(m.group(self.tg)), desc=self.desc, unit="step",
                            disable=None, file=sys.stderr, leave=True)
        self.bar.total = int(m.group(self.tg))
        if self.regex is LIT_LINE:
            self.codes[m.group(1)] = self.codes.get(m.group(1), 0) + 1
            self.bar.set_postfix({k: v for k, v in sorted(self.codes.items())}, refresh=False)
        self.bar.update(int(m.group(self.dg)) - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- the runner -----------------------------------------------------------------------------------------

@dataclass
class SuiteRun:
    suite: str
    subdirs: list[str]
    configs: list[str]
    runs: int
    out: str
    jobs: int = 2
    cache_file: str = "O3"
    filter: str | None = None
    lit: str = ""
    llvm_size: str = ""

    def build_dir(self, cfg: str) -> str:
        return os.path.join(self.out, "build", cfg)

    def log(self, name: str) -> str:
        return os.path.join(self.out, "logs", name + ".log")

    # configure -----------------------------------------------------------------------------------
    def cmake_cmd(self, cc: str) -> list[str]:
        cmd = ["cmake", "-G", "Ninja",
               f"-DCMAKE_C_COMPILER={cc}",
               f"-DCMAKE_CXX_COMPILER={shutil.which(cfgs.CLANGXX) or cfgs.CLANGXX}",
               "-C", os.path.join(self.suite, "cmake", "caches", self.cache_file + ".cmake"),
               f"-DTEST_SUITE_SUBDIRS={';'.join(self.subdirs)}",
               f"-DTEST_SUITE_LIT={self.lit}",
               f"-DTEST_SUITE_LLVM_SIZE={self.llvm_size}"]
        if "SingleSource" in self.subdirs:
            cmd.append("-DTEST_SUITE_BENCHMARKING_ONLY=ON")
        return cmd + [self.suite]

    def configure(self, state: State, name: str, cc: str) -> bool:
        step = f"configure:{name}"
        bdir = self.build_dir(name)
        if state.done(step) and os.path.exists(os.path.join(bdir, "build.ninja")):
            return True
        if os.path.exists(bdir):  # a fresh build dir: reconfiguring keeps stale .test files
            shutil.rmtree(bdir)
        os.makedirs(bdir)
        say(f"[{name}] configuring in {bdir}")
        rc = run_logged(self.cmake_cmd(cc), self.log(f"configure-{name}"), bdir)
        if rc != 0:
            say(f"[{name}] cmake failed (exit {rc}); see {self.log('configure-' + name)}")
            return False
        state.mark(step)
        return True

    def targets(self, name: str) -> list[str] | None:
        """Ninja targets for --filter: the executables of the matching tests (their dependencies
        bring the suite's tools); None = build everything."""
        if not self.filter:
            return None
        rx = re.compile(self.filter)
        bdir = self.build_dir(name)
        tests = []
        for root, dirs, files in os.walk(bdir):
            dirs[:] = [d for d in dirs if d not in ("CMakeFiles", "Output")]
            for f in files:
                if f.endswith(".test"):
                    rel = os.path.relpath(os.path.join(root, f), bdir)
                    if rx.search(f"test-suite :: {rel}"):
                        tests.append(f[:-5])
        r = subprocess.run(["ninja", "-t", "targets", "all"], cwd=bdir, capture_output=True,
                           text=True)
        known = {line.split(":", 1)[0].strip() for line in r.stdout.splitlines()}
        if not tests or any(t not in known for t in tests):
            return None
        return sorted(set(tests))

    def build(self, state: State, name: str, env: dict[str, str]) -> None:
        step = f"build:{name}"
        if state.done(step):
            return
        bdir = self.build_dir(name)
        cmd = ["ninja", "-k", "0", f"-j{self.jobs}"] + (self.targets(name) or [])
        bar = Bar(f"build {name}", NINJA_LINE, 1, 2)
        t0 = time.monotonic()
        c0 = os.times()
        rc = run_logged(cmd, self.log(f"build-{name}"), bdir, progress=bar)
        c1 = os.times()
        wall = time.monotonic() - t0
        bar.close()
        cfgs.stop_server(env)  # the server's own CPU time is in the records, not in c1 - c0
        failed = []
        with open(self.log(f"build-{name}"), errors="replace") as f:
            for line in f:
                if line.startswith("FAILED: "):
                    failed.append(line[8:].strip().split()[0])
        state.data["builds"][name] = {
            "wall_s": round(wall, 3),
            "children_cpu_s": round((c1.children_user - c0.children_user)
                                    + (c1.children_system - c0.children_system), 3),
            "ok": rc == 0, "rc": rc, "failed_targets": failed, "jobs": self.jobs,
            "targets": "filtered" if self.filter else "all"}
        say(f"[{name}] build {'ok' if rc == 0 else f'FAILED ({len(failed)} targets)'} in {wall:.1f} s")
        state.mark(step)

    def lit_run(self, name: str, dest: str, label: str) -> bool:
        if os.path.exists(dest):
            return True
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        tmp = dest + ".partial.json"
        cmd = [self.lit, "-j1", "-o", tmp]
        if self.filter:
            cmd += ["--filter", self.filter]
        cmd.append(self.build_dir(name))
        bar = Bar(label, LIT_LINE, 3, 4)
        rc = run_logged(cmd, self.log(f"lit-{name}"), self.build_dir(name), progress=bar)
        bar.close()
        if not os.path.exists(tmp):
            say(f"[{name}] lit wrote no results (exit {rc}); see {self.log('lit-' + name)}")
            return False
        os.replace(tmp, dest)
        say(f"[{label}] " + ", ".join(f"{k} {v}" for k, v in sorted(bar.codes.items())))
        return True

    # profile training ---------------------------------------------------------------------------
    def train_profile(self, state: State) -> str:
        """Instrumented build + one lit run; returns the profile file for LAZYCC_PROFILE_USE."""
        pdir = os.path.join(self.out, "profile-data")
        prof = os.path.join(pdir, "lazycc.prof")
        if state.done("train:profile") and os.path.exists(prof):
            return prof
        name = "profile-train"
        os.makedirs(pdir, exist_ok=True)
        env = cfgs.config_env("profile", self.out, cache_name=name, record_name=name,
                              extra={"LAZYCC_PROFILE_GENERATE": pdir})
        env.pop("LAZYCC_POLICY")  # the instrumented build is not a policy of its own
        cc = cfgs.write_wrapper(os.path.join(self.out, "bin", name, "cc"), name, env)
        if not self.configure(state, name, cc):
            raise BenchError("profile training: configure failed")
        self.build(state, name, env)
        if os.path.exists(prof):
            os.remove(prof)  # counts from one complete training run only
        self.lit_run(name, os.path.join(self.out, "train", "run1.json"), "train profile")
        if not os.path.exists(prof):
            raise BenchError(f"profile training produced no {prof}")
        state.mark("train:profile")
        return prof

    # the whole thing -----------------------------------------------------------------------------
    def execute(self) -> State:
        state = State.load(self.out)
        opts = {"suite": self.suite, "subdirs": self.subdirs, "cache_file": self.cache_file,
                "filter": self.filter}
        prev = state.data.get("options")
        if prev and prev != opts:
            raise BenchError(f"{self.out} holds results made with other options ({prev}); "
                             "use a fresh --out")
        state.data["options"] = opts
        av = cfgs.resolve(self.configs)
        for c, why in av.skipped.items():
            say(f"skipping configuration '{c}': {why}")
        state.data["skipped"].update(av.skipped)
        for c in av.available:
            state.data["skipped"].pop(c, None)
            if c not in state.data["configs"]:
                state.data["configs"].append(c)
        state.save()
        envs = {}
        ready = []
        for c in av.available:
            extra = {}
            if c == "profile":
                try:
                    extra["LAZYCC_PROFILE_USE"] = self.train_profile(state)
                except BenchError as e:
                    say(f"skipping configuration 'profile': {e}")
                    state.data["skipped"]["profile"] = str(e)
                    state.save()
                    continue
            env = cfgs.config_env(c, self.out, extra=extra)
            envs[c] = env
            cc = cfgs.write_wrapper(os.path.join(self.out, "bin", c, "cc"), c, env)
            if not self.configure(state, c, cc):
                state.data["skipped"][c] = f"cmake failed: see {self.log('configure-' + c)}"
                state.save()
                continue
            self.build(state, c, env)
            ready.append(c)
        for i in range(1, self.runs + 1):
            for c in ready:
                dest = os.path.join(self.out, "results", c, f"run{i}.json")
                if self.lit_run(c, dest, f"run {i}/{self.runs} {c}"):
                    state.mark(f"run:{c}:{i}")
        for env in envs.values():
            cfgs.stop_server(env)
        return state


def main(args) -> int:
    suite = os.path.abspath(args.suite)
    subdirs = [s for s in re.split(r"[,;]", args.subdirs) if s]
    check_suite(suite, subdirs, args.cache_file)
    lit = args.lit or cfgs.find_tool("lit") or cfgs.find_tool("llvm-lit")
    if not lit:
        raise BenchError("lit not found (pip install lit, or pass --lit)")
    size = shutil.which(args.llvm_size) or shutil.which("llvm-size")
    if not size:
        raise BenchError(f"{args.llvm_size} not found")
    if not shutil.which("ninja") or not shutil.which("cmake"):
        raise BenchError("cmake and ninja are required")
    if args.filter:
        re.compile(args.filter)
    run = SuiteRun(suite=suite, subdirs=subdirs,
                   configs=[c for c in args.configs.split(",") if c], runs=args.runs,
                   out=os.path.abspath(args.out), jobs=args.jobs, cache_file=args.cache_file,
                   filter=args.filter, lit=os.path.abspath(lit), llvm_size=size)
    t0 = time.monotonic()
    run.execute()
    say(f"done in {time.monotonic() - t0:.1f} s; report with: lazycc-bench report {args.out}")
    return 0
