"""`hazardtrack bench` runs end to end and reports each benchmark as a ratio to its same-run baseline.

No timing is asserted (timings belong to the benchmark's report, not to a test)."""

from bench import run_benchmarks


def test_bench_reports_a_ratio_for_every_benchmark():
    lines: list[str] = []
    results = run_benchmarks(quick=True, items=300, out=lines.append)
    assert set(results) == {"items", "transition", "keyset_page", "shared_machine", "render"}
    for name in ("transition", "keyset_page", "shared_machine", "render"):
        r = results[name]
        assert r["baseline_s"] > 0 and r["value_s"] > 0 and r["ratio"] == r["value_s"] / r["baseline_s"]
        assert any(line.strip().startswith(name) for line in lines)
