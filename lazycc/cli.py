"""`lazycc`: the compiler driver and its admin commands.

Forms:  lazycc [clang options] file.c ...        (CC=lazycc)
        lazycc clang-22 [clang options] ...      (launcher: CMAKE_C_COMPILER_LAUNCHER)
        cc/clang -> lazycc symlink               (masquerade, see --install-symlinks)
        lazycc --show-stats | --show-config | ... (admin, see --help)
"""
from __future__ import annotations

import os
import sys

from lazycc import __version__
from lazycc.fsutil import make_temp_dir, remove_tree, which

HELP = f"""\
lazycc {__version__} - a drop-in C compiler driver that lazifies call arguments.
Every rewrite is proven by a translation validator; anything unproven or any
internal failure compiles exactly as plain clang would.

Usage:
  lazycc [clang options] file.c ...      compile like clang (CC=lazycc)
  lazycc <compiler> [options] ...        launcher form (CMAKE_C_COMPILER_LAUNCHER=lazycc)
  lazycc <admin option>

Admin options:
  -s, --show-stats         show statistics (add --json for a JSON object,
                           --markdown for the table of counters)
  -z, --zero-stats         reset statistics
  -C, --clear              remove every cache entry
  -p, --show-config        show settings and where each came from
                           (--markdown: the table of settings)
      --verify-cache       check every cache entry, discard corrupt ones
      --cache-export FILE  write the cache's rewrite decisions to FILE (offline sharing)
      --cache-import FILE  add FILE's decisions to the cache, each rewrite proven again
      --install-symlinks DIR
                           create cc/gcc/clang/clang-22 -> lazycc symlinks in DIR
      --stop-server        stop the resident compile server (it restarts on demand)
  -V, --version            lazycc's version, then the real clang's version text
  -h, --help               this text

Settings (environment variable, or `key = value` in $LAZYCC_DIR/lazycc.conf):
{{settings}}
Statistics counters: see `lazycc --show-stats`; pass-through reasons are listed by id.
"""

SYMLINK_NAMES = ("cc", "gcc", "clang", "clang-22")
ADMIN = {"-s", "--show-stats", "-z", "--zero-stats", "-C", "--clear", "-p", "--show-config",
         "--verify-cache", "--cache-export", "--cache-import", "--install-symlinks", "--stop-server", "-h", "--help", "-V", "--version"}


def _self_paths() -> set[str]:
    paths = {os.path.realpath(sys.argv[0])}
    exe = which("lazycc")
    if exe:
        paths.add(os.path.realpath(exe))
    return paths


def find_compiler(name: str) -> str:
    """Resolve `name` on PATH, skipping anything that is lazycc itself (masquerade loops)."""
    if os.sep in name:
        return name
    me = _self_paths()
    for d in os.environ.get("PATH", "").split(os.pathsep):
        cand = os.path.join(d or ".", name)
        if os.path.isfile(cand) and os.access(cand, os.X_OK) and os.path.realpath(cand) not in me:
            return cand
    return name


def is_clang(path: str) -> bool:
    """Is this compiler clang (by name, following symlinks such as cc -> clang-22)?"""
    exe = which(path) or path
    return any("clang" in os.path.basename(p) for p in (exe, os.path.realpath(exe)))


def _is_compiler_arg(arg: str) -> bool:
    """Launcher form: first argument is a compiler executable, not an option or a source."""
    if arg.startswith("-") or arg.startswith("@"):
        return False
    base = os.path.basename(arg)
    if "." in base and os.path.splitext(base)[1] in (".c", ".o", ".a", ".so", ".i", ".s", ".S"):
        return False
    if not any(k in base for k in ("clang", "cc", "gcc")):
        return False
    return which(arg) is not None


def _settings_help() -> str:
    from lazycc.config import help_lines

    return help_lines()


def admin(argv: list[str]) -> int:
    from lazycc import config, stats

    opt = argv[0]
    if opt in ("-h", "--help"):
        print(HELP.format(settings=_settings_help()), end="")
        return 0
    try:
        cfg = config.load()
    except config.ConfigError as exc:
        print(f"lazycc: error: {exc}", file=sys.stderr)
        return 1
    if opt == "--stop-server":
        from lazycc.driver import client

        print("Stopped the lazycc server" if client.stop() else "No lazycc server was running")
        return 0
    if opt in ("-V", "--version"):
        import subprocess

        print(f"lazycc version {__version__}")
        sys.stdout.flush()
        return subprocess.run([find_compiler(cfg.clang), "--version"]).returncode
    if opt in ("--cache-export", "--cache-import"):
        from lazycc.driver import exchange

        return exchange.main(opt, argv[1:], cfg, find_compiler(cfg.clang))
    if opt in ("-p", "--show-config"):
        print(config.markdown_table() if "--markdown" in argv[1:] else config.show_config(cfg))
        return 0
    if opt in ("-s", "--show-stats"):
        import json

        if "--markdown" in argv[1:]:  # the counters table itself (README), no cache needed
            print(stats.markdown_table())
            return 0
        data = stats.read(cfg.dir)
        if "--json" in argv[1:]:
            print(json.dumps(data, indent=2, sort_keys=True))
        else:
            extra = {"cache directory": cfg.dir}
            try:
                from lazycc.cache import LocalCache

                from lazycc.cache.files import FileStore

                c = LocalCache(cfg.dir, cfg.max_size // 2)
                d = FileStore(os.path.join(cfg.dir, "direct"), cfg.max_size // 2)
                extra["cache entries (rewrites+objects / direct)"] = f"{c.count()} / {d.count()}"
                extra["cache size (MB)"] = f"{(c.volume() + d.volume()) / 1e6:.1f} / {cfg.max_size / 1e6:.0f}"
                c.close()
            except Exception as exc:  # noqa: BLE001
                extra["cache"] = f"unavailable ({exc})"
            print(stats.format_table(data, extra))
        return 0
    if opt in ("-z", "--zero-stats"):
        stats.zero(cfg.dir)
        print("Statistics zeroed")
        return 0
    if opt in ("-C", "--clear", "--verify-cache"):
        from lazycc.cache import LocalCache
        from lazycc.cache.files import FileStore

        c = LocalCache(cfg.dir, cfg.max_size // 2)
        d = FileStore(os.path.join(cfg.dir, "direct"), cfg.max_size // 2)
        if opt == "--verify-cache":
            counts, dcounts = c.verify_all(), d.verify_all()
            c.close()
            ok, bad = counts["ok"] + dcounts["ok"], counts["corrupt"] + dcounts["corrupt"]
            print(f"{ok} entries ok, {bad} corrupt entries removed, "
                  f"{counts['warnings']} storage warnings fixed")
            return 0 if bad == 0 else 1
        n = c.clear() + d.clear()
        c.close()
        print(f"Cleared cache ({n} entries)")
        return 0
    if opt == "--install-symlinks":
        if len(argv) < 2:
            print("lazycc: error: --install-symlinks needs a directory", file=sys.stderr)
            return 2
        target = which("lazycc") or os.path.realpath(sys.argv[0])
        os.makedirs(argv[1], exist_ok=True)
        for name in SYMLINK_NAMES:
            link = os.path.join(argv[1], name)
            if os.path.lexists(link):
                os.remove(link)
            os.symlink(target, link)
            print(f"{link} -> {target}")
        return 0
    return 2


def exec_clang(clang: str, args: list[str]) -> None:
    """Replace this process with clang, argv untouched (exit code, stdio, signals are clang's)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(clang, [clang, *args])


def run_clang(clang: str, args: list[str], capture_stderr: bool = False) -> tuple[int, bytes]:
    """Run clang (a link) and wait: (exit code, its stderr when captured, else b"")."""
    import subprocess

    sys.stdout.flush()
    sys.stderr.flush()
    proc = subprocess.run([clang, *args], stderr=subprocess.PIPE if capture_stderr else None)
    return proc.returncode, proc.stderr or b""


def _invocation(raw: list[str] | None):
    """The raw invocation, read before the settings (the native client's fast entries are
    keyed by it); None when this run cannot have one."""
    if raw is None:
        return None
    from lazycc import config_source
    from lazycc.driver.fastpath import Invocation

    try:
        inv = Invocation(sys.argv[0], raw, os.environ, config_source.cache_dir(os.environ)[0])
    except Exception:  # noqa: BLE001 - only an optimisation: never break a build
        return None
    return inv if inv.eligible else None


def _fast_entries(ctx, inv, clang_name: str | None, job) -> None:
    """After a direct-mode hit or store, write the fast entry that lets the native client
    (native/lazycc-fast.c) replay this invocation without Python."""
    cfg = ctx.cfg
    if inv is None or cfg.record or cfg.profile_use or cfg.nofast:
        return

    def hook(dplan) -> None:
        try:
            from lazycc.driver.fastpath import remember
        except Exception:  # noqa: BLE001 - only an optimisation: never break a build
            return
        why = remember(ctx.direct_store, inv, compiler_name=clang_name or cfg.clang, compiler=ctx.clang,
                       env=os.environ, mkey=dplan.key, source=job.source, output=job.output,
                       depfile=dplan.depfile if dplan.user_depfile else None, log_path=cfg.log,
                       log_lines=[f"compile {job.source} -> {job.output}", f"{job.source}: direct hit"])
        if why:
            ctx.log(f"{job.source}: {why}")

    ctx.on_direct = hook


def _fast_passthrough(cfg, inv, clang_name: str | None, clang: str, reason: str, log_line: str,
                      dropped: int) -> None:
    """Let the native client exec clang itself the next time (a link of a warm rebuild);
    `dropped`: raw arguments before the user's (the launcher form's compiler name)."""
    if inv is None or cfg.record or cfg.profile_use or cfg.nofast or cfg.nocache:
        return
    try:
        from lazycc.cache.files import FileStore
        from lazycc.driver.fastpath import remember_passthrough

        store = FileStore(os.path.join(cfg.dir, "direct"), cfg.max_size // 2)
        remember_passthrough(store, inv, compiler_name=clang_name or cfg.clang, compiler=clang, env=os.environ,
                             reason=reason, dropped=dropped, log_path=cfg.log, log_line=log_line)
    except Exception:  # noqa: BLE001 - only an optimisation: never break a build
        pass


def _compile_in_parallel(ctx, jobs, objects: list[str], tmpdir: str) -> list[int]:
    """The compiles of a one-step compile-and-link, each in a forked child with its own
    counters and caches (driver/parallel.py bounds them by the cores and make's jobserver)."""
    from lazycc.driver.compile import Context, compile_job
    from lazycc.driver.parallel import run_jobs
    from lazycc.stats import Stats

    ctx.stats.flush(ctx.cfg.dir)  # what the parent counted so far: not once per child

    def compile_one(n: int) -> int:
        child = Context(cfg=ctx.cfg, clang=ctx.clang, stats=Stats(), log=ctx.log)
        try:
            return compile_job(child, jobs[n], objects[n])
        finally:
            child.close()
            child.stats.flush(ctx.cfg.dir)

    def size(n: int) -> int:
        try:
            return os.path.getsize(jobs[n].source)
        except OSError:
            return 0

    workdir = os.path.join(tmpdir, "jobs")
    os.mkdir(workdir)
    longest_first = sorted(range(len(jobs)), key=lambda n: (-size(n), n))
    return run_jobs(len(jobs), compile_one, workdir, os.environ, order=longest_first)


def compiler(clang_name: str | None, args: list[str], raw: list[str] | None = None) -> int:
    from lazycc import config, config_source
    from lazycc.driver.classify import LtoLink, PassThrough, classify, expand_response_files, link_command
    from lazycc.stats import Reason, Stat, Stats

    st = Stats()
    inv = _invocation(raw)
    try:
        cfg = config.load()
    except config.ConfigError:
        # A broken setting must not break the build: clang untouched, counted (the
        # cache dir comes from LAZYCC_DIR alone, so the count still has a home).
        raw_clang = config_source.raw_setting("clang", os.environ, from_file={})
        clang = find_compiler(clang_name or (raw_clang[0] if raw_clang and raw_clang[0] else "clang-22"))
        st.bump_passthrough(Reason.CONFIG_ERROR)
        st.flush(config_source.cache_dir(os.environ)[0])
        exec_clang(clang, args)
        return 1
    clang = find_compiler(clang_name or cfg.clang)
    from lazycc.driver.log import Logger

    log = Logger(cfg.log)
    if cfg.disable:
        st.bump_passthrough(Reason.DISABLED)
        st.flush(cfg.dir)
        exec_clang(clang, args)
    if clang_name is not None and not is_clang(clang):
        # Launcher form in front of gcc & co: our front-end flags are clang's.
        st.bump_passthrough(Reason.OTHER_COMPILER)
        log(f"pass-through (other_compiler: {clang}): {' '.join(args)}")
        st.flush(cfg.dir)
        exec_clang(clang, args)
    try:
        expanded = expand_response_files(args)
        plan = classify(expanded)
    except Exception as exc:  # noqa: BLE001
        log(f"classification failed ({exc!r}); plain clang")
        st.bump(Stat.FALLBACKS)
        st.flush(cfg.dir)
        exec_clang(clang, args)
        return 1
    if isinstance(plan, LtoLink):
        from lazycc.driver import lto

        why = lto.refusal(cfg)
        if why:  # a function of argv and the settings: the fast entry may serve it next time
            plan = PassThrough(Reason.LINK, f"-flto link, {why}")
    if isinstance(plan, PassThrough):
        st.bump_passthrough(plan.reason)
        line = f"pass-through ({plan.reason.value}{': ' + plan.detail if plan.detail else ''}): {' '.join(args)}"
        log(line)
        st.flush(cfg.dir)
        _fast_passthrough(cfg, inv, clang_name, clang, plan.reason.value, line, len(raw or ()) - len(args))
        exec_clang(clang, args)

    import subprocess  # not at the top: pass-throughs exec clang without it

    from lazycc.driver.compile import Context

    from lazycc import ir

    ir.set_clang(clang)  # the IR layer finds LLVM tools next to the clang being driven
    if isinstance(plan, LtoLink):
        from lazycc.driver import lto

        # no fast entry: whether its inputs are bitcode is read from the files
        ctx = Context(cfg=lto.link_config(cfg), clang=clang, stats=st, log=log)
        try:
            return lto.link(ctx, plan, lambda a, capture: run_clang(clang, a, capture), original=args)
        except Exception as exc:  # noqa: BLE001 - never break a build
            st.bump(Stat.FALLBACKS)
            log(f"internal error ({type(exc).__name__}: {exc}); running the user's link")
            return run_clang(clang, args)[0]
        finally:
            ctx.close()
            st.flush(cfg.dir)
    ctx = Context(cfg=cfg, clang=clang, stats=st, log=log)
    try:
        from lazycc.driver.compile import compile_job

        if not plan.link:
            job = plan.jobs[0]
            _fast_entries(ctx, inv, clang_name, job)
            log(f"compile {job.source} -> {job.output}")
            return compile_job(ctx, job, job.output)
        tmpdir = make_temp_dir("lazycc-link-")
        try:
            objects = [os.path.join(tmpdir, f"{n}-{os.path.splitext(os.path.basename(job.source))[0]}.o")
                       for n, job in enumerate(plan.jobs)]
            if len(plan.jobs) == 1:
                rcs = [compile_job(ctx, plan.jobs[0], objects[0])]
            else:
                rcs = _compile_in_parallel(ctx, plan.jobs, objects, tmpdir)
            rc = next((r for r in rcs if r), 0)  # the first failing compile's code, as before
            if rc:
                return rc
            cmd = [clang, *link_command(plan, objects)]
            linking = classify(cmd[1:])
            if isinstance(linking, LtoLink):
                from lazycc.driver import lto

                if not lto.refusal(cfg):  # the objects just compiled are bitcode: whole-program mode
                    lctx = Context(cfg=lto.link_config(cfg), clang=clang, stats=st, log=log)
                    try:
                        return lto.link(lctx, linking, lambda a, capture: run_clang(clang, a, capture))
                    finally:
                        lctx.close()
            log(f"link: {' '.join(cmd)}")
            return subprocess.run(cmd).returncode
        finally:
            remove_tree(tmpdir)
    except Exception as exc:  # noqa: BLE001 - never break a build
        st.bump(Stat.FALLBACKS)
        log(f"internal error ({type(exc).__name__}: {exc}); running plain clang")
        st.flush(cfg.dir)
        ctx.close()
        return subprocess.run([clang, *args]).returncode
    finally:
        ctx.close()
        st.flush(cfg.dir)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    invoked_as = os.path.basename(sys.argv[0])
    if invoked_as in SYMLINK_NAMES:      # masquerade: cc/clang symlinked to lazycc
        return compiler(None, argv, raw=argv)
    if not argv:
        print(HELP.format(settings=_settings_help()), end="")
        return 1
    if argv[0] in ADMIN:
        return admin(argv)
    if _is_compiler_arg(argv[0]):
        return compiler(argv[0], argv[1:], raw=argv)
    return compiler(None, argv, raw=argv)


def _via_server() -> int | None:
    """Hand the invocation to the resident server (driver/client.py); None: run it here."""
    argv = sys.argv[1:]
    if not argv or argv[0] in ADMIN:
        return None
    from lazycc.driver import client

    if client.disabled(os.environ):
        return None
    try:
        return client.request(argv)
    except client.NoServer:
        client.spawn()
        return None


def run(in_server: bool = False) -> int:
    """Console entry: like main(), but a closed stdout (`| head`) is not a traceback."""
    if not in_server:
        code = _via_server()
        if code is not None:
            return code
    try:
        return main()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(run())
