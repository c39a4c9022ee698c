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
    idom = cfg.immediate_dominators(succ, entry)
    assert dom == _reference_dominators(fn) and cfg.is_reducible(back, idom)
    assert all(cfg.dominates(idom, a, b) == (a in dom[b]) for a in dom for b in dom)
    assert list(dom) == list(_reference_dominators(fn))
    assert cfg.predecessors(succ) == loops.predecessors(fn) == _reference_predecessors(fn)
    bodies = cfg.natural_loops(back, cfg.predecessors(succ), set(dom))
    assert bodies == _reference_loop_bodies(back, _reference_predecessors(fn), set(dom))
    assert [list(b) for b in bodies.values()] == \
        [list(b) for b in _reference_loop_bodies(back, _reference_predecessors(fn), set(dom)).values()]
    assert all(entry in ds for ds in dom.values())
    found = loops.find_loops(fn, back)
    assert [(lp.header, lp.blocks) for lp in found] == sorted(bodies.items(), key=lambda hb: -len(hb[1]))
    for h, body in bodies.items():
        assert cfg.preorder(succ, h, body) == _reference_loop_order(succ, h, body)
        assert set(cfg.preorder(succ, h, body)) == body
    assert cfg.preorder(succ, entry) == _reference_loop_order(succ, entry, set(succ))


def test_preorder():
    succ = {0: [1, 4], 1: [2, 3], 2: [1], 3: [4], 4: []}
    assert cfg.preorder(succ, 0) == [0, 1, 2, 3, 4]
    assert cfg.preorder(succ, 1, {1, 2}) == [1, 2]
    # pre-order, not reverse post-order
    assert cfg.dfs(succ, 0)[0] == [0, 1, 3, 4, 2]


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
    assert not cfg.is_reducible(back, cfg.immediate_dominators(succ, 0))


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


# The validator's own loop walkers before they moved to ir.cfg (kept here as the reference).

def _reference_dominators(fn):
    succ = {b.key: [o.key for o in b.term.ops if o.kind == "block"] for b in fn.blocks}
    pred = {b.key: [] for b in fn.blocks}
    for u, vs in succ.items():
        for v in vs:
            pred[v].append(u)
    keys = [b.key for b in fn.blocks]
    entry = keys[0]
    reach, stack = {entry}, [entry]
    while stack:
        for v in succ[stack.pop()]:
            if v not in reach:
                reach.add(v)
                stack.append(v)
    dom = {k: set(reach) for k in reach}
    dom[entry] = {entry}
    changed = True
    while changed:
        changed = False
        for k in keys:
            if k == entry or k not in reach:
                continue
            ps = [dom[p] for p in pred[k] if p in reach]
            new = set.intersection(*ps) | {k} if ps else {k}
            if new != dom[k]:
                dom[k] = new
                changed = True
    return dom


def _reference_predecessors(fn):
    pred = {b.key: [] for b in fn.blocks}
    for b in fn.blocks:
        for o in b.term.ops:
            if o.kind == "block":
                pred[o.key].append(b.key)
    return pred


def _reference_loop_bodies(back, pred, keep=None):
    by_header = {}
    for u, h in back:
        body = by_header.setdefault(h, {h})
        stack = [u]
        while stack:
            x = stack.pop()
            if x in body:
                continue
            body.add(x)
            stack.extend(p for p in pred[x] if keep is None or p in keep)
    return by_header


def _reference_loop_order(succ, header, blocks):
    order, seen, stack = [], set(), [header]
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        order.append(k)
        stack.extend(reversed([s for s in succ[k] if s in blocks]))
    return order


def _classic_dominators(succ, entry):
    """The textbook data-flow form (sets intersected to a fixed point), for comparison."""
    reach = cfg.reachable(succ, entry)
    pred = cfg.predecessors(succ)
    dom = {k: set(reach) for k in reach}
    dom[entry] = {entry}
    changed = True
    while changed:
        changed = False
        for k in reach - {entry}:
            new = set.intersection(*[dom[p] for p in pred[k] if p in reach]) | {k}
            if new != dom[k]:
                dom[k], changed = new, True
    return dom


def test_dominators_on_random_graphs():
    import random
    rng = random.Random(7)
    for _ in range(400):
        n = rng.randint(1, 30)
        succ = {i: rng.sample(range(n), rng.randint(0, min(3, n))) for i in range(n)}
        want = _classic_dominators(succ, 0)
        idom = cfg.immediate_dominators(succ, 0)
        assert cfg.dominators(succ, 0) == want
        assert set(idom) == set(want)
        assert all(cfg.dominates(idom, a, b) == (a in want[b]) for a in want for b in want)
        _, back = cfg.dfs(succ, 0)
        assert cfg.is_reducible(back, idom) == all(h in want[u] for u, h in back)
