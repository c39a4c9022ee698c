"""IR stage: the one place (with `lowering`) that runs clang/LLVM tools.

Other stages get LLVM IR as text inside an `IRModule` and call the helpers here
(`run_opt`, `parse_and_verify`) instead of spawning tools themselves.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache

from lazycc.fsutil import which

DEFAULT_CLANG = "clang-22"


@dataclass(frozen=True)
class IRModule:
    """LLVM IR text plus what is needed to interpret it.

    `opt_level` is the user's optimisation level ("0", "1", "2", "3", "s", "z");
    `text` is the module exactly as clang hands it to its optimiser unless a
    stage says otherwise.
    """

    text: str
    name: str = "module"
    opt_level: str = "0"

    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


class ToolError(RuntimeError):
    """An LLVM tool failed; `stderr` carries its diagnostics."""

    def __init__(self, tool: str, returncode: int, stderr: str):
        super().__init__(f"{tool} exited {returncode}: {stderr.strip()[:2000]}")
        self.tool = tool
        self.returncode = returncode
        self.stderr = stderr


_clang: str | None = None
_memo_dir: str | None = None


def set_memo_dir(directory: str | None) -> None:
    """Where answers of LLVM tools that depend only on the tool binary (a pass pipeline spelled
    out, TLI's function names) are memoised across processes (the driver passes its cache
    directory): each compile would otherwise start the tool again."""
    global _memo_dir
    _memo_dir = directory or None


def _memoised(kind: str, tool: str, arg: str, compute) -> str:
    """`compute()` (a tool's text output), memoised on disk under `set_memo_dir` keyed by the
    tool binary's path, size and mtime (like `clang_identity`) and `arg`."""
    if not _memo_dir:
        return compute()
    path = None
    try:
        exe = os.path.realpath(which(tool) or tool)
        st = os.stat(exe)
        tag = hashlib.sha256(f"{kind}\0{exe}\0{st.st_size}\0{st.st_mtime_ns}\0{arg}".encode()).hexdigest()[:32]
        path = os.path.join(_memo_dir, "tools", tag)
    except OSError:
        pass
    text = _read_memo(path)
    if text is None:
        text = compute()
        _write_memo(path, text)
    return text


def _read_memo(path: str | None) -> str | None:
    """A memo file's text, or None (no path, missing, unreadable)."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def _write_memo(path: str | None, text: str) -> None:
    """Write a memo file atomically (temp file + rename); a failure only loses the memo."""
    if not path:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


def set_clang(clang: str | None) -> None:
    """The clang this process drives (the driver passes its configured one; tools default to
    clang-22). LLVM tools are found next to it. Settings never reach this layer through the
    environment."""
    global _clang
    _clang = clang or None


def clang_path() -> str:
    """The clang binary lazycc drives (set by `set_clang`, default clang-22)."""
    return _clang or DEFAULT_CLANG


def _tool_dir(path: str) -> str:
    return os.path.dirname(os.path.realpath(path))


@lru_cache(maxsize=None)
def llvm_bin_dir(clang: str | None = None) -> str:
    """Directory holding opt/llvm-* that match the configured clang ("" when none is found:
    tools are then looked up on PATH). In order: next to the clang binary (symlinks
    resolved), where the clang says its `opt` is (`-print-prog-name`), the versioned
    `opt-22` on PATH, `llvm-config-22 --bindir`."""
    clang = clang or clang_path()
    exe = which(clang)
    if exe and os.path.exists(os.path.join(_tool_dir(exe), "opt")):
        return _tool_dir(exe)
    said = _probe([exe or clang, "-print-prog-name=opt"])
    if os.path.isabs(said) and os.path.exists(said):
        return _tool_dir(said)
    opt = which("opt-22")
    if opt:
        return _tool_dir(opt)
    config = which("llvm-config-22")
    bindir = _probe([config, "--bindir"]) if config else ""
    return bindir if bindir and os.path.exists(os.path.join(bindir, "opt")) else ""


def _probe(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def llvm_tool(name: str) -> str:
    """Path to an LLVM tool (`opt`, `llvm-link`, ...) matching the configured clang."""
    bindir = llvm_bin_dir(clang_path())
    path = os.path.join(bindir, name) if bindir else ""
    if path and os.path.exists(path):
        return path
    return which(f"{name}-22") or name


def run_opt(text: str, passes: str, extra: tuple[str, ...] = (), timeout: float = 60.0) -> str:
    """Run `opt -passes=<passes>` on IR text and return the resulting IR text."""
    proc = subprocess.run(
        [llvm_tool("opt"), "-S", f"-passes={passes}", *extra, "-o", "-", "-"],
        input=text, capture_output=True, text=True, timeout=timeout,
    )
    if proc.returncode != 0:
        raise ToolError("opt", proc.returncode, proc.stderr)
    return proc.stdout


BITCODE_MAGIC = b"BC\xc0\xde"
BITCODE_WRAPPER_MAGIC = b"\xde\xc0\x17\x0b"   # 0x0B17C0DE little-endian (Darwin's wrapper)


def is_bitcode(path: str) -> bool:
    """Is `path` an LLVM bitcode file (what `clang -flto -c` writes), raw or wrapped?"""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return False
    return head in (BITCODE_MAGIC, BITCODE_WRAPPER_MAGIC)


def link_bitcode(paths: list[str], timeout: float | None = None) -> str:
    """Merge bitcode files into one module with `llvm-link` (next to the driven clang) and
    return its IR text: what the LTO link would merge, so cross-file callees are visible."""
    proc = subprocess.run([llvm_tool("llvm-link"), "-S", "-o", "-", *paths],
                          capture_output=True, text=True, errors="surrogateescape", timeout=timeout)
    if proc.returncode != 0:
        raise ToolError("llvm-link", proc.returncode, proc.stderr)
    return proc.stdout


def write_bitcode(text: str, output: str, timeout: float | None = None) -> None:
    """Assemble IR text into a bitcode file (`llvm-as`): the input of the user's LTO link."""
    proc = subprocess.run([llvm_tool("llvm-as"), "-o", output, "-"], input=text, capture_output=True,
                          text=True, errors="surrogateescape", timeout=timeout)
    if proc.returncode != 0:
        raise ToolError("llvm-as", proc.returncode, proc.stderr)


def pipeline_text(passes: str) -> str:
    """The pass pipeline `opt -passes=<passes>` runs, spelled out (`-print-pipeline-passes`):
    what `default<O2>` means for the opt next to the driven clang."""
    return _pipeline_text(llvm_tool("opt"), passes)


@lru_cache(maxsize=16)
def _pipeline_text(opt: str, passes: str) -> str:
    def ask() -> str:
        proc = subprocess.run(
            [opt, f"-passes={passes}", "-print-pipeline-passes", "-disable-output", "-"],
            input="", capture_output=True, text=True, timeout=60.0,
        )
        if proc.returncode != 0:
            raise ToolError("opt", proc.returncode, proc.stderr)
        return proc.stdout.strip()
    return _memoised("pipeline", opt, passes, ask)


def library_functions() -> frozenset[str] | None:
    """Every function name LLVM's TargetLibraryInfo knows (available or not on this target),
    from `llvm-tli-checker --dump-tli` next to the driven clang: the names library-call
    simplification may emit a new call to. None when the tool is missing or fails (a caller
    must then assume any name may be called)."""
    return _library_functions(llvm_tool("llvm-tli-checker"))


@lru_cache(maxsize=4)
def _library_functions(tool: str) -> frozenset[str] | None:
    def ask() -> str:
        proc = subprocess.run([tool, "--dump-tli"], capture_output=True, text=True, timeout=60.0)
        if proc.returncode != 0 or "TLI knows" not in proc.stdout:
            raise ToolError("llvm-tli-checker", proc.returncode, proc.stderr)
        return proc.stdout
    try:
        text = _memoised("tli", tool, "--dump-tli", ask)
    except (OSError, subprocess.SubprocessError, ToolError):
        return None
    names = frozenset(re.findall(r"^\s*(?:not )?available: '([^']+)'", text, re.M))
    return names or None


def preload() -> None:
    """Import llvmlite and load its LLVM library now (the compile server calls this before it
    forks workers: each pipeline child would otherwise pay ~50-150 ms for it)."""
    import llvmlite.binding as llvm

    llvm.parse_assembly("")   # the shared library loads on first use


def parse_and_verify(text: str):
    """Parse IR text with llvmlite (LLVM 22) and run the verifier.

    Returns the llvmlite ModuleRef; raises RuntimeError with LLVM's message
    (which names the offending line) when the text is malformed.
    """
    import llvmlite.binding as llvm

    mod = llvm.parse_assembly(text)
    mod.verify()
    return mod


@dataclass(frozen=True)
class EmitResult:
    returncode: int
    text: str = ""
    stderr: bytes = b""


def emit_ir(clang: str, front_end_args: tuple[str, ...], source: str, ll_path: str,
            extra: tuple[str, ...] = (), timeout: float | None = None) -> EmitResult:
    """Run clang's front end only: the module exactly as clang hands it to its optimiser.

    `front_end_args` come from the driver's compile plan (`CompileJob.front_end_args`:
    the user's options plus the depfile fixups for the real object name); this layer
    does not parse argv. This is the only time the user's C is parsed, so diagnostics
    appear once: they are echoed to our stderr at once and returned (direct mode replays
    them); dependency files are written here.
    """
    cmd = [clang, *front_end_args, *extra, "-S", "-emit-llvm", "-Xclang",
           "-disable-llvm-passes", "-o", ll_path, source]
    proc = run_echoing_stderr(cmd, timeout=timeout)
    if proc.returncode != 0:
        return EmitResult(proc.returncode, stderr=proc.stderr)
    with open(ll_path, encoding="utf-8", errors="surrogateescape") as fh:
        return EmitResult(0, fh.read(), proc.stderr)


def compile_keeping_ir(clang: str, args: tuple[str, ...], source: str, output: str, dump_dir: str,
                       extra: tuple[str, ...] = (), timeout: float | None = None
                       ) -> tuple[subprocess.CompletedProcess, str | None]:
    """The user's own compile (`compile_plain`, diagnostics echoed) that also hands back the
    module as its front end made it: one front end for the object and the IR.

    LLVM prints the whole module before the pipeline's first pass into `dump_dir`
    (`-print-before-pass-number=1 -print-module-scope -ir-dump-directory`); that text is
    `emit_ir`'s byte for byte after its one header comment, and the object is clang's own
    (both checked by tests). The text is None when the dump is not exactly one file with
    that header (the caller then emits the IR the usual way)."""
    dump = ("-mllvm", "-print-before-pass-number=1", "-mllvm", "-print-module-scope",
            "-mllvm", f"-ir-dump-directory={dump_dir}")
    proc = compile_plain(clang, args, source, output, (*extra, *dump), timeout=timeout)
    if proc.returncode != 0:
        return proc, None
    try:
        names = os.listdir(dump_dir)
        if len(names) != 1:
            return proc, None
        with open(os.path.join(dump_dir, names[0]), encoding="utf-8", errors="surrogateescape") as fh:
            header = fh.readline()
            text = fh.read()
    except OSError:
        return proc, None
    if not header.startswith("; *** IR Dump Before ") or not header.endswith("***\n"):
        return proc, None
    return proc, text


def compile_plain(clang: str, args: tuple[str, ...], source: str, output: str,
                  extra: tuple[str, ...] = (), timeout: float | None = None,
                  echo: bool = True) -> subprocess.CompletedProcess:
    """The user's own compile, unchanged but for `extra` (dependency output for direct mode)."""
    return run_echoing_stderr([clang, *args, *extra, "-c", source, "-o", output], timeout=timeout, echo=echo)


def run_echoing_stderr(cmd: list[str], timeout: float | None = None, echo: bool = True) -> subprocess.CompletedProcess:
    """Run a tool, echo its stderr to ours (after it exits) and return it too."""
    proc = subprocess.run(cmd, stderr=subprocess.PIPE, timeout=timeout)
    if proc.stderr and echo:
        sys.stderr.buffer.write(proc.stderr)
        sys.stderr.flush()
    return proc


@lru_cache(maxsize=None)
def clang_identity(clang: str, memo_dir: str | None = None) -> str:
    """clang's version text (part of every cache key).

    Memoised on disk under `memo_dir`, keyed by the binary's path, size and
    mtime (ccache's `compiler_check = mtime`), to save a process per compile.
    """
    exe = os.path.realpath(which(clang) or clang)
    memo = None
    if memo_dir:
        try:
            st = os.stat(exe)
            tag = hashlib.sha256(f"{exe}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:24]
            memo = os.path.join(memo_dir, "compilers", tag)
        except OSError:
            pass
    known = _read_memo(memo)
    if known is not None:
        return known
    proc = subprocess.run([clang, "--version"], capture_output=True, text=True, timeout=30)
    text = proc.stdout.strip()
    if proc.returncode == 0 and text:
        _write_memo(memo, text)
    return text
