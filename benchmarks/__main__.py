"""``python -m benchmarks``: every benchmark in turn; exit 1 if any target is missed."""

from __future__ import annotations

import sys

from . import bench_reference, bench_strategies


def main() -> int:
    failed = 0
    for module in (bench_strategies, bench_reference):
        print(f"== {module.__name__}", flush=True)
        failed += module.main([]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
