"""`hazardtrack bench` runs end to end and reports each benchmark as a ratio to a baseline measured in the same run.

No timing is asserted (timings belong to the benchmark's report, not to a test): the test checks that every figure
reported is one the run measured, baseline first, and that the printed report says what the results say."""

import math

import bench
from bench import run_benchmarks

BENCHMARKS = ("transition", "keyset_page", "shared_machine", "render")


def test_each_benchmark_reports_a_positive_ratio_to_a_baseline_measured_in_the_same_run(monkeypatch):
    measured: list[float] = []  # every median the run took, in order
    real_time = bench._time

    def recording_time(fn, repeat):
        value = real_time(fn, repeat)
        measured.append(value)
        return value

    monkeypatch.setattr(bench, "_time", recording_time)
    lines: list[str] = []
    results = run_benchmarks(quick=True, items=300, out=lines.append)

    assert results["items"] == 300 and set(results) == {"items", *BENCHMARKS}
    for name in BENCHMARKS:
        r = results[name]
        assert all(math.isfinite(r[k]) and r[k] > 0 for k in ("baseline_s", "value_s", "ratio")), (name, r)
        # Both figures are measurements of this run (not constants, not a stored baseline), the baseline taken first.
        assert r["baseline_s"] in measured and r["value_s"] in measured, name
        assert measured.index(r["baseline_s"]) < measured.index(r["value_s"]), name
        assert math.isclose(r["ratio"], r["value_s"] / r["baseline_s"])
        # The printed report states this result's ratio and its baseline.
        line = next(line for line in lines if line.split()[:1] == [name])
        assert f"{r['ratio']:.3f}×" in line and f"基线 {r['baseline_s'] * 1000:.3f} ms" in line, line
    keyset = results["keyset_page"]
    assert keyset["offset_ratio"] > 0 and f"OFFSET 同深度 {keyset['offset_ratio']:.1f}×" in next(
        line for line in lines if line.split()[:1] == ["keyset_page"])
    # Four pairs plus the OFFSET query: each benchmark measured its own baseline rather than reusing one.
    assert len(measured) == 2 * len(BENCHMARKS) + 1
    assert len({results[name]["baseline_s"] for name in BENCHMARKS}) == len(BENCHMARKS)
