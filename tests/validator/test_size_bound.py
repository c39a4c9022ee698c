"""smt.check's size bound: a large query whose SMT core grows faster than z3 meters it in
resource units (the probe says how much it built) ends as a Timeout that spent its allowance;
small queries and queries without a budget are never probed and run as before."""
from lazycc.validator import smt as S


def _big(n: int):
    xs = [S.BitVec(f"sb.x{i}", 32) for i in range(n)]
    return S.And(*[xs[i] + xs[i + 1] == i for i in range(n - 1)])


def test_large_query_past_the_size_bound_is_a_timeout_that_spent_its_allowance(monkeypatch):
    probed = []
    monkeypatch.setattr(S, "_probe_size", lambda f, logic, wall: probed.append(f) or S.PROBE_SIZE + 1)
    monkeypatch.setattr(S, "PROBE_TERMS", 100)
    with S.budget(rlimit=50_000_000, query_rlimit=20_000_000) as b:
        a = S.check(_big(200))
    assert a.result is S.SolverResult.TIMEOUT and a.reason.startswith("z3 size bound"), a
    assert len(probed) == 1 and b.units_used >= 20_000_000        # the query's whole allowance


def test_small_or_unlimited_queries_are_not_probed(monkeypatch):
    monkeypatch.setattr(S, "_probe_size", lambda f, logic, wall: S.PROBE_SIZE + 1)
    monkeypatch.setattr(S, "PROBE_TERMS", 100)
    with S.budget(rlimit=50_000_000, query_rlimit=20_000_000):
        assert S.check(_big(10)).result is S.SolverResult.SAT        # few terms: not probed
    assert S.check(_big(200)).result is S.SolverResult.SAT           # no budget: not probed


def test_probe_is_within_its_units_and_leaves_answers_alone():
    # a query the probe decides: no size reported, and check answers as without a probe
    assert S._probe_size(_big(200), "QF_AUFBV", None) == 0
    with S.budget(rlimit=50_000_000, query_rlimit=20_000_000):
        assert S.check(_big(200)).result is S.SolverResult.SAT
