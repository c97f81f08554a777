"""Benchmark runner: `make bench` (= `python -m bench [module ...]`).

Runs `run()` of every `bench/bench_*.py` module (or only the ones named), prints each module's figures and
merges them into `bench/results.json`: each module's dict under its name (e.g. "bench_documents"), and the keys a
module lists in `TOP_LEVEL_KEYS` also at the top level. Keys of modules that were not run are kept. A module whose
`unavailable()` returns a reason (e.g. it needs PostgreSQL) is not run here, and says why.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def _modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if selected:
        wanted = {s.removesuffix(".py").split("/")[-1] for s in selected}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"No such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(names)})")
        names = [n for n in names if n in wanted]
    return names


def _print(name: str, result: dict, seconds: float) -> None:
    print(f"\n== {name} ({seconds:.1f} s)")
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"  {key}:")
            for k, v in value.items():
                print(f"    {k}: {v}")
        else:
            print(f"  {key}: {value}")


def _merge(name: str, result: dict, top_level_keys) -> None:
    """Re-read the file just before writing (another run may have written meanwhile) and replace it atomically."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = result
    for key in top_level_keys:
        if key in result:
            results[key] = result[key]
    tmp = RESULTS.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    tmp.replace(RESULTS)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    failed = []
    for name in _modules(argv):
        module = importlib.import_module(f"bench.{name}")
        reason = module.unavailable() if hasattr(module, "unavailable") else None
        if reason:  # e.g. needs PostgreSQL: its last figures in results.json stay as they are
            print(f"\n== {name}: not run here — {reason}")
            continue
        start = time.perf_counter()
        try:
            result = module.run()
        except Exception:  # report and go on with the other benchmarks
            traceback.print_exc()
            failed.append(name)
            continue
        _print(name, result, time.perf_counter() - start)
        _merge(name, result, getattr(module, "TOP_LEVEL_KEYS", ()))
    print(f"\nResults written to {RESULTS.relative_to(HERE.parent)}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
