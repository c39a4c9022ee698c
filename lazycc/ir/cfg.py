"""Control-flow graph algorithms over a small protocol: a successor map.

A CFG is given as `succ`: a mapping from each block (any hashable id: a block index,
a label, a key) to the list of its successors in terminator order, plus the entry
block.  Readers build that map from whatever model they hold (the analysis from
labels, the validator from block keys); the algorithms here do not care.

- `dfs`: reverse post-order of the blocks reachable from the entry, and the DFS back
  (retreating) edges (u -> v with v on the DFS stack: every loop has one, reducible
  or not).  Successors are visited in terminator order, so the order is deterministic.
- `preorder`: DFS pre-order from the entry (successors in terminator order), optionally
  restricted to a set of blocks (a loop's blocks from its header).
- `predecessors`, `reachable`, `immediate_dominators` (Cooper-Harvey-Kennedy), `dominates`,
  `dominators` (sets, from the immediate dominators),
  `natural_loops` (per header: the blocks that reach a back edge without passing the
  header), `loop_depths` (nesting depth per block).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

Node = Hashable
Succ = Mapping[Node, Sequence[Node]]


def dfs(succ: Succ, entry: Node) -> tuple[list[Node], set[tuple[Node, Node]]]:
    """(reverse post-order from `entry`, DFS back edges)."""
    seen, onstack, post, back = {entry}, {entry}, [], set()
    stack = [(entry, iter(succ.get(entry, ())))]
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
            stack.append((nxt, iter(succ.get(nxt, ()))))
    post.reverse()
    return post, back


def preorder(succ: Succ, entry: Node, keep: set[Node] | None = None) -> list[Node]:
    """DFS pre-order of the blocks reachable from `entry` (through blocks in `keep`, if
    given), successors visited in terminator order."""
    order, seen, stack = [], set(), [entry]
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        order.append(k)
        stack.extend(reversed([s for s in succ.get(k, ()) if keep is None or s in keep]))
    return order


def predecessors(succ: Succ) -> dict[Node, list[Node]]:
    """Block -> its predecessors (in block order, one entry per edge)."""
    pred: dict[Node, list[Node]] = {b: [] for b in succ}
    for u, vs in succ.items():
        for v in vs:
            pred.setdefault(v, []).append(u)
    return pred


def reachable(succ: Succ, entry: Node) -> set[Node]:
    reach, stack = {entry}, [entry]
    while stack:
        for v in succ.get(stack.pop(), ()):
            if v not in reach:
                reach.add(v)
                stack.append(v)
    return reach


def reachable_avoiding(edges: Succ, start: Node, stop: set[Node]) -> set[Node]:
    """Blocks reached from `start` over `edges` (successors, or predecessors for a backward
    walk) without entering a block of `stop`; `start` itself only if reached again."""
    seen: set[Node] = set()
    stack = [v for v in edges.get(start, ()) if v not in stop]
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        stack.extend(v for v in edges.get(x, ()) if v not in stop and v not in seen)
    return seen


def immediate_dominators(succ: Succ, entry: Node) -> dict[Node, Node]:
    """Reachable block -> its immediate dominator (the entry's is itself).

    Cooper, Harvey and Kennedy's "simple, fast" iteration over reverse post-order: linear
    in practice where dominator sets cost blocks x blocks (a function of 5,000 blocks took
    40 s to get its sets)."""
    order, _ = dfs(succ, entry)
    index = {b: i for i, b in enumerate(order)}
    pred = predecessors(succ)
    idom: dict[Node, Node] = {entry: entry}
    changed = True
    while changed:
        changed = False
        for b in order[1:]:
            new = None
            for p in pred.get(b, ()):
                if p not in idom:
                    continue            # unreachable, or not reached yet in this sweep
                if new is None:
                    new = p
                    continue
                a, c = p, new
                while a != c:
                    while index[a] > index[c]:
                        a = idom[a]
                    while index[c] > index[a]:
                        c = idom[c]
                new = a
            if new is not None and idom.get(b) != new:
                idom[b] = new
                changed = True
    return idom


def dominates(idom: Mapping[Node, Node], a: Node, b: Node) -> bool:
    """Does `a` dominate `b` (both reachable; a block dominates itself)?"""
    if b not in idom:
        return False
    while True:
        if b == a:
            return True
        up = idom[b]
        if up == b:
            return False
        b = up


def dominators(succ: Succ, entry: Node) -> dict[Node, set[Node]]:
    """Reachable block -> the set of blocks dominating it (itself included)."""
    idom = immediate_dominators(succ, entry)
    out: dict[Node, set[Node]] = {}
    for k in reachable(succ, entry):
        chain, b = {k}, k
        while idom[b] != b:
            b = idom[b]
            chain.add(b)
        out[k] = chain
    return out


def natural_loops(back: Iterable[tuple[Node, Node]], pred: Mapping[Node, Sequence[Node]],
                  keep: set[Node] | None = None) -> dict[Node, set[Node]]:
    """Header -> the header and every block (in `keep`, if given) that reaches one of the
    header's back edges without passing the header: the natural loop of a reducible CFG."""
    by_header: dict[Node, set[Node]] = {}
    for u, h in back:
        body = by_header.setdefault(h, {h})
        stack = [u]
        while stack:
            x = stack.pop()
            if x in body:
                continue
            body.add(x)
            stack.extend(p for p in pred.get(x, ()) if keep is None or p in keep)
    return by_header


def is_reducible(back: Iterable[tuple[Node, Node]], idom: Mapping[Node, Node]) -> bool:
    """Every DFS back edge is a dominator back edge (its target dominates its source)."""
    return all(dominates(idom, h, u) for u, h in back)


def loop_depths(succ: Succ, back: Iterable[tuple[Node, Node]]) -> dict[Node, int]:
    """Block -> how many back edges' natural loops contain it (0 outside loops; a header
    with two latches counts twice, as the candidate analysis always has)."""
    pred = predecessors(succ)
    depth = {b: 0 for b in succ}
    for (u, h) in back:
        body, work = {h}, [u]
        while work:
            x = work.pop()
            if x in body:
                continue
            body.add(x)
            work.extend(pred.get(x, []))
        for x in body:
            depth[x] = depth.get(x, 0) + 1
    return depth
