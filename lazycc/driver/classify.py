"""Classify a compiler command line: a `Plan` for the rewrite path, or a `PassThrough`.

ccache's model: only one shape is taken over — C sources compiled to named
objects (`-c`, or a one-step compile-and-link that the driver splits into
compiles plus a link). Everything else runs the real clang with the argv
unchanged, counted under one `Reason`.

This is the only place that walks the user's argv (dispatching on the flags of
the option table, `lazycc/options.py`): each `CompileJob` carries the lists the
later steps need — the compile options (front end, plain compile), the lowering
options, the dependency-file options and the -O level — so `ir`, `lowering` and
direct mode consume them instead of parsing argv again.
"""
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass

from lazycc.options import PREFIX_PROBES, PREFIX_TOO_HARD, Flag, lookup
from lazycc.stats import Reason  # noqa: F401 (re-exported: the classifier's result type)

# `.i` is preprocessed C: what a distcc node receives (its rewrites are shared like any other)
C_EXTENSIONS = (".c", ".i")
# Inputs that a link step consumes as they are.
LINK_INPUT_EXTENSIONS = (".o", ".os", ".obj", ".a", ".so", ".lo", ".la")


@dataclass(frozen=True)
class PassThrough:
    reason: Reason
    detail: str = ""


@dataclass(frozen=True)
class LtoLink:
    """A full-LTO link (`-flto`, no C source to compile): the driver may merge its bitcode
    inputs and lazify the merged module before the user's link runs (driver/lto.py).

    `inputs` are the argv indices of the positional link inputs (objects, archives, shared
    libraries; which of them are bitcode is read from the files, not argv); `opt_level` is
    the link's -O level, or "2" (the LTO backend's default in lld and the gold plugin)."""

    argv: tuple[str, ...]
    inputs: tuple[int, ...]
    opt_level: str = "2"
    output: str = "a.out"


# -flto values that mean full LTO (clang maps `auto`/`jobserver`, GCC's spellings, to full)
FULL_LTO_VALUES = ("full", "auto", "jobserver")
# Linker options under which merging bitcode objects before the link changes symbol
# resolution (--wrap redirects only *undefined* references, which merging defines;
# --defsym/-R/--just-symbols inject definitions; lld's --start-lib makes objects lazy like
# archive members; -r keeps a relocatable): such a link is passed through.
LINKER_REFUSED = ("--wrap", "-wrap", "--defsym", "-defsym", "--just-symbols", "-R", "--start-lib",
                  "-r", "--relocatable", "-Ur")
LINKER_REFUSED_GLUED = ("--wrap=", "-wrap=", "--defsym=", "-defsym=", "--just-symbols=")


def _linker_refusal(arg: str, value: str | None, flags: Flag) -> str:
    """The linker option of `-Wl,`/`-Xlinker` (or clang's own `-r`) that a merge cannot
    honour, or ""."""
    if arg == "-r":
        return "-r"
    if not flags & Flag.LINK_ONLY or value is None:
        return ""
    words = value.split(",") if arg.startswith("-Wl,") else [value]
    return next((w for w in words if w in LINKER_REFUSED or w.startswith(LINKER_REFUSED_GLUED)), "")


@dataclass(frozen=True)
class DepOptions:
    """The user's dependency-file options (the DEPFILE rows of the option table)."""

    names: frozenset[str] = frozenset()   # which of -MD -MMD -MF -MT -MQ -MP -MG were given
    depfile: str | None = None            # the last -MF value

    def front_end_fixups(self, output: str) -> tuple[str, ...]:
        """Make `-MD`/`-MMD` of the IR-emitting step name the user's object, as clang would.

        clang derives the depfile's target and default path from `-o`; the front-end
        step writes a temporary .ll, so both are stated explicitly (`-MQ obj`, `-MF obj.d`).
        """
        if not self.names & {"-MD", "-MMD"}:
            return ()
        extra: tuple[str, ...] = ()
        if not self.names & {"-MT", "-MQ"}:
            extra += ("-MQ", output)
        if "-MF" not in self.names:
            extra += ("-MF", os.path.splitext(output)[0] + ".d")
        return extra


@dataclass(frozen=True)
class CompileJob:
    """One C source to compile to `output` through the rewrite path (a compile plan).

    `args` are the user's options without the source, -c and -o (order kept): the
    plain compile's and, with `deps.front_end_fixups`, the front end's. `lowering_args`
    are those that still matter when lowering IR (no preprocessor, depfile or -x
    options); `deps` the dependency-file options; `opt_level` the effective -O level.
    """

    source: str
    output: str
    args: tuple[str, ...]
    lowering_args: tuple[str, ...] = ()
    deps: DepOptions = DepOptions()
    opt_level: str = "0"
    color_option: bool = False   # the user chose diagnostics colours (-f[no-]color-diagnostics, ...)

    def front_end_args(self, output: str) -> tuple[str, ...]:
        """Options of the IR-emitting front-end step for an object written to `output`."""
        return (*self.args, *self.deps.front_end_fixups(output))


@dataclass(frozen=True)
class Plan:
    """Rewrite-path compiles, and for a one-step build the link that follows.

    `link_argv` is the user's argv with each C source replaced by a
    placeholder index into `jobs` (see `link_command`).
    """

    jobs: tuple[CompileJob, ...]
    link: bool = False
    link_args: tuple[str, ...] = ()  # user's argv, sources marked by SOURCE_MARK+index

    SOURCE_MARK = "\0lazycc-source:"


def expand_response_files(argv: list[str], depth: int = 0) -> list[str]:
    """Expand `@file` arguments (GNU/clang quoting rules, nested)."""
    out: list[str] = []
    for arg in argv:
        if arg.startswith("@") and len(arg) > 1 and depth < 16 and os.path.isfile(arg[1:]):
            with open(arg[1:], encoding="utf-8", errors="surrogateescape") as fh:
                out.extend(expand_response_files(shlex.split(fh.read()), depth + 1))
        else:
            out.append(arg)
    return out


def _language_of(path: str, forced: str | None) -> str:
    if forced is not None and forced != "none":
        return "c" if forced == "cpp-output" else forced
    ext = os.path.splitext(path)[1]
    if ext in C_EXTENSIONS:
        return "c"
    if ext in LINK_INPUT_EXTENSIONS or ".so." in os.path.basename(path):
        return "link-input"
    return "other"


def _default_object(source: str) -> str:
    return os.path.splitext(os.path.basename(source))[0] + ".o"


def classify(argv: list[str]) -> Plan | LtoLink | PassThrough:
    """argv excludes the compiler itself; response files must already be expanded."""
    compile_only = False
    output: str | None = None
    sources: list[tuple[int, str]] = []     # (argv index, path)
    forced_lang: str | None = None
    preprocess_only_dep = False
    has_md = False
    option_idx: set[int] = set()            # indices of argv that are options or their values
    lto = False                             # the last of -flto[=full] / -fno-lto
    link_inputs: list[int] = []
    refused = ""                            # a linker option a bitcode merge cannot honour
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-":
            return PassThrough(Reason.STDIN)
        if not arg.startswith("-") or arg == "-":
            lang = _language_of(arg, forced_lang)
            if lang == "c":
                sources.append((i, arg))
            elif lang == "link-input":
                link_inputs.append(i)
            elif lang == "other":
                return PassThrough(Reason.OTHER_LANGUAGE, arg)
            i += 1
            continue
        if arg.startswith(PREFIX_PROBES):
            return PassThrough(Reason.PROBE, arg)
        if arg.startswith(PREFIX_TOO_HARD):
            return PassThrough(Reason.UNSUPPORTED_OPTION, arg)
        if arg == "-flto" or arg.startswith("-flto="):
            lto = arg == "-flto" or arg[6:] in FULL_LTO_VALUES
        elif arg == "-fno-lto":
            lto = False
        row = lookup(arg)
        if row is None:
            refused = refused or _linker_refusal(arg, None, Flag.NONE)
            option_idx.add(i)
            i += 1
            continue
        _name, flags, glued = row
        value = glued if glued else None
        option_idx.add(i)
        if value is None and flags & Flag.TAKES_ARG:
            if i + 1 >= len(argv):
                return PassThrough(Reason.UNSUPPORTED_OPTION, f"{arg} without a value")
            value = argv[i + 1]
            option_idx.add(i + 1)
            i += 1
        i += 1
        refused = refused or _linker_refusal(arg, value, flags)
        if flags & Flag.PROBE:
            return PassThrough(Reason.PROBE, arg)
        if flags & Flag.TOO_HARD:
            return PassThrough(Reason.UNSUPPORTED_OPTION, arg)
        if flags & Flag.COMPILE_ONLY:
            compile_only = True
        elif flags & Flag.OUTPUT:
            output = value
        elif flags & Flag.LANGUAGE:
            forced_lang = value
            if value not in ("c", "cpp-output", "none"):
                return PassThrough(Reason.OTHER_LANGUAGE, f"-x {value}")
        elif flags & Flag.PREPROCESS:
            return PassThrough(Reason.PREPROCESS, arg)
        elif flags & Flag.DEPS_ONLY:
            preprocess_only_dep = True
        elif flags & Flag.DEPS_BESIDE:
            has_md = True
        elif flags & Flag.ASSEMBLY:
            return PassThrough(Reason.ASSEMBLY, arg)
        elif flags & Flag.SYNTAX_ONLY:
            return PassThrough(Reason.SYNTAX_ONLY, arg)
    if preprocess_only_dep and not has_md:
        return PassThrough(Reason.PREPROCESS, "-M/-MM")
    if output == "-":
        return PassThrough(Reason.STDOUT)
    if not sources:
        if compile_only:
            return PassThrough(Reason.NO_INPUT)
        if lto and refused:
            return PassThrough(Reason.LINK, f"-flto link with {refused}: merging bitcode would change symbol "
                                            "resolution")
        if lto and link_inputs:
            level = _opt_level(tuple(a for a in argv if a.startswith("-O")))
            return LtoLink(tuple(argv), tuple(link_inputs), level if any(a.startswith("-O") for a in argv) else "2",
                           output or "a.out")
        return PassThrough(Reason.LINK)

    drop = {idx for idx, _ in sources}
    # Compile options: everything except the sources, -c, -o and link inputs.
    compile_args: list[str] = []
    j = 0
    while j < len(argv):
        arg = argv[j]
        row = lookup(arg) if arg.startswith("-") else None
        if j in drop or (row is not None and row[1] & Flag.COMPILE_ONLY):
            j += 1
            continue
        if row is not None and row[1] & Flag.OUTPUT:
            j += 1 if row[2] else 2
            continue
        if j not in option_idx and _language_of(arg, None) == "link-input":
            j += 1
            continue
        if row is not None and row[1] & Flag.LINK_ONLY:
            j += 1 if (row[2] or not row[1] & Flag.TAKES_ARG) else 2
            continue
        compile_args.append(arg)
        j += 1

    args = tuple(compile_args)
    shared = dict(args=args, lowering_args=_lowering_args(args), deps=_dep_options(args),
                  opt_level=_opt_level(args), color_option=any("color" in a for a in args))
    if compile_only:
        if len(sources) > 1:
            return PassThrough(Reason.MULTIPLE_SOURCES, f"{len(sources)} sources")
        src = sources[0][1]
        return Plan(jobs=(CompileJob(src, output or _default_object(src), **shared),))

    jobs = tuple(CompileJob(src, "", **shared) for _, src in sources)
    link_args: list[str] = []
    src_no = {idx: n for n, (idx, _) in enumerate(sources)}
    j = 0
    while j < len(argv):
        if j in src_no:
            link_args.append(f"{Plan.SOURCE_MARK}{src_no[j]}")
        elif argv[j].startswith("-x"):  # `-x c` would make the link read objects as C
            j += 1 if len(argv[j]) > 2 else 2
            continue
        else:
            link_args.append(argv[j])
        j += 1
    return Plan(jobs=jobs, link=True, link_args=tuple(link_args))


def _lowering_args(args: tuple[str, ...]) -> tuple[str, ...]:
    """Compile options minus those that only concern the front end, depfiles or the language
    (the IR's language is given by the lowering step itself)."""
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        row = lookup(a) if a.startswith("-") else None
        if row is not None:
            _name, flags, glued = row
            if flags & (Flag.PREPROCESSOR | Flag.DEPFILE | Flag.LANGUAGE):
                i += 1 if (glued or not flags & Flag.TAKES_ARG) else 2
                continue
        out.append(a)
        i += 1
    return tuple(out)


def _dep_options(args: tuple[str, ...]) -> DepOptions:
    rows = [lookup(a) if a.startswith("-") else None for a in args]
    names = frozenset(row[0] for row in rows if row and row[1] & Flag.DEPFILE)
    depfile: str | None = None
    i = 0
    while i < len(args):
        row = rows[i]
        if row and row[0] == "-MF":
            if row[2]:
                depfile = row[2]
            elif i + 1 < len(args):
                depfile = args[i + 1]
                i += 1
        i += 1
    return DepOptions(names, depfile)


def _opt_level(args: tuple[str, ...]) -> str:
    """The effective -O level ("0", "1", "2", "3", "s", "z"; last one wins; -O alone is -O1)."""
    level = "0"
    for a in args:
        if a.startswith("-O"):
            v = a[2:]
            level = {"": "1", "fast": "3", "g": "1"}.get(v, v)
    return level


def link_command(plan: Plan, objects: list[str]) -> list[str]:
    """The user's argv with each C source replaced by its compiled object."""
    out = []
    for arg in plan.link_args:
        if arg.startswith(Plan.SOURCE_MARK):
            out.append(objects[int(arg[len(Plan.SOURCE_MARK):])])
        else:
            out.append(arg)
    return out
