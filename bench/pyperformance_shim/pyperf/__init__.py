"""A small stand-in for pyperf, so pyperformance's own benchmark programs run unmodified
under any runtime (stitch cannot run pyperf's worker machinery, and the side-by-side
table must time every runtime the same way).

It keeps pyperf's method of measurement, simplified: the number of loops is calibrated
until one value takes at least `--min-time` (pyperf's default is 100 ms), then
`--warmups` values are discarded and `--values` values are timed, each a time per loop
(divided by `inner_loops`). The values go to the file named by the environment variable
PYPERF_STANDIN_OUT as one JSON line per benchmark; stdout is left to the benchmark.
"""
import argparse
import json
import os
import sys
import time

perf_counter = time.perf_counter

__version__ = "2.6.0-stitch-standin"
VERSION = (2, 6, 0)


def python_implementation():
    return sys.implementation.name


def python_has_jit():
    return False


class Runner:
    def __init__(self, values=None, processes=None, loops=0, min_time=0.1, metadata=None,
                 show_name=True, program_args=None, add_cmdline_args=None,
                 _argparser=None, warmups=None):
        self.metadata = dict(metadata or {})
        self._add_cmdline_args = add_cmdline_args
        p = _argparser or argparse.ArgumentParser()
        p.add_argument("--values", "-n", type=int, default=values or 5)
        p.add_argument("--warmups", "-w", type=int, default=1 if warmups is None else warmups)
        p.add_argument("--loops", "-l", type=int, default=loops)
        p.add_argument("--min-time", type=float, default=min_time)
        p.add_argument("--processes", "-p", type=int, default=processes)
        p.add_argument("--fast", action="store_true")
        p.add_argument("--rigorous", action="store_true")
        p.add_argument("--debug-single-value", action="store_true")
        p.add_argument("--inherit-environ")
        p.add_argument("--quiet", "-q", action="store_true")
        p.add_argument("--verbose", "-v", action="store_true")
        p.add_argument("--output", "-o")
        p.add_argument("--append")
        p.add_argument("--worker", action="store_true")
        self.argparser = p
        self.args = None

    def parse_args(self, args=None):
        if self.args is None:
            self.args = self.argparser.parse_args(args)
            if self.args.debug_single_value:
                self.args.values, self.args.warmups, self.args.loops = 1, 0, 1
        return self.args

    # -- measuring ---------------------------------------------------------------------

    def _measure(self, name, timed, inner_loops):
        """`timed(loops)` runs the benchmark `loops` times and returns seconds."""
        args = self.parse_args()
        loops = args.loops
        if not loops:
            loops = 1
            while True:
                dt = timed(loops)
                if dt >= args.min_time or loops >= 2 ** 32:
                    break
                loops *= 2 if dt <= 0 else max(2, min(16, int(args.min_time / dt * 1.2) + 1))
            warmups = max(args.warmups - 1, 0)  # calibration already warmed up once
        else:
            warmups = args.warmups
        for _ in range(warmups):
            timed(loops)
        values = [timed(loops) / (loops * (inner_loops or 1)) for _ in range(args.values)]
        self._record(name, values, loops)
        return values

    def _record(self, name, values, loops):
        out = os.environ.get("PYPERF_STANDIN_OUT")
        line = json.dumps({"name": name, "values": values, "loops": loops})
        if out:
            with open(out, "a") as f:
                f.write(line + "\n")
        elif not self.parse_args().quiet:
            print(f"{name}: {sorted(values)[len(values) // 2]:.6g} s per loop", file=sys.stderr)

    def bench_time_func(self, name, time_func, *args, inner_loops=None, metadata=None):
        return self._measure(name, lambda loops: time_func(loops, *args), inner_loops)

    def bench_func(self, name, func, *args, inner_loops=None, metadata=None):
        def timed(loops):
            t0 = perf_counter()
            for _ in range(loops):
                func(*args)
            return perf_counter() - t0
        return self._measure(name, timed, inner_loops)

    def bench_async_func(self, name, func, *args, inner_loops=None, metadata=None):
        import asyncio

        async def many(loops):
            t0 = perf_counter()
            for _ in range(loops):
                await func(*args)
            return perf_counter() - t0

        return self._measure(name, lambda loops: asyncio.run(many(loops)), inner_loops)

    def bench_command(self, name, command):
        import subprocess

        def timed(loops):
            t0 = perf_counter()
            for _ in range(loops):
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            return perf_counter() - t0
        return self._measure(name, timed, None)
