"""``python -m benchmarks``: every benchmark in turn; exit 1 if any target is missed."""

from __future__ import annotations

import sys

from . import (
    bench_certify,
    bench_concurrency,
    bench_memory,
    bench_operations,
    bench_reference,
    bench_strategies,
    bench_suite,
    bench_verdict,
)


def main() -> int:
    failed = 0
    modules = (
        bench_strategies,
        bench_reference,
        bench_suite,
        bench_certify,
        bench_memory,
        bench_concurrency,
        bench_verdict,
        bench_operations,
    )
    for module in modules:
        print(f"== {module.__name__}", flush=True)
        failed += module.main([]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
