"""lazycc.ir.cfg on real IR: the same answers as the validator's own walkers, for the
candidate analysis' labels and the validator's block keys alike."""
import shutil
import subprocess

import pytest

from lazycc.ir import cfg

C = r"""
int f(int n, int *a) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < i; j++) { if (a[j] > 3) continue; s += a[j]; }
    while (s > 100) s /= 2;
  }
  if (n > 5) goto out;
  s++;
out:
  return s;
}
"""


@pytest.fixture(scope="module")
def ir_text(tmp_path_factory):
    clang = shutil.which("clang-22")
    if not clang:
        pytest.skip("clang-22 not installed")
    d = tmp_path_factory.mktemp("cfg")
    (d / "t.c").write_text(C)
    subprocess.run([clang, "-S", "-emit-llvm", "-O0", "-Xclang", "-disable-O0-optnone", "-o", str(d / "t.ll"),
                    str(d / "t.c")], check=True)
    return (d / "t.ll").read_text()


def test_validator_blocks(ir_text):
    from lazycc.validator import loops
    from lazycc.ir.model import read_module
    from lazycc.validator.analysis import dfs_order as _dfs_order
    fn = read_module(ir_text).functions["f"]
    succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}
    entry = fn.blocks[0].key
    order, back = cfg.dfs(succ, entry)
    assert (order, back) == _dfs_order(fn)
    assert order == _reference_dfs(succ, entry)[0] and back == _reference_dfs(succ, entry)[1]
    assert len(back) == 3
    dom = cfg.dominators(succ, entry)
    assert dom == loops.dominators(fn) and cfg.is_reducible(back, dom)
    assert cfg.natural_loops(back, cfg.predecessors(succ), set(dom)) == \
        loops.loop_bodies(back, loops.predecessors(fn), set(dom))
    assert all(entry in ds for ds in dom.values())


def test_analysis_labels(ir_text):
    from lazycc.ir.text import FunctionIndex, parse_module
    fn = parse_module(ir_text).functions["@f"]
    idx = FunctionIndex(fn)
    order, back = cfg.dfs(idx.succ, fn.blocks[0].label)
    assert order[0] == fn.blocks[0].label and idx.forward_order == order
    assert len(back) == 3
    depth = idx.loop_depths
    assert max(depth.values()) == 2 and depth[fn.blocks[0].label] == 0
    # every forward edge goes forward in the order
    pos = {b: k for k, b in enumerate(order)}
    assert all(pos[u] < pos[v] for u in order for v in idx.succ[u] if (u, v) not in back)


def test_irreducible():
    succ = {0: [1, 2], 1: [2], 2: [1, 3], 3: []}
    order, back = cfg.dfs(succ, 0)
    assert order == [0, 1, 2, 3] and back == {(2, 1)}
    assert not cfg.is_reducible(back, cfg.dominators(succ, 0))


def _reference_dfs(succ, entry):
    """The validator's own walker before it moved to ir.cfg (kept here as the reference)."""
    seen, onstack, post, back = {entry}, {entry}, [], set()
    stack = [(entry, iter(succ[entry]))]
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            stack.pop()
            onstack.discard(node)
            post.append(node)
            continue
        if nxt in onstack:
            back.add((node, nxt))
        elif nxt not in seen:
            seen.add(nxt)
            onstack.add(nxt)
            stack.append((nxt, iter(succ[nxt])))
    return list(reversed(post)), back
