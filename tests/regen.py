#!/usr/bin/env python3
"""Regenerate the expected output of every test program with CPython.

For each tests/programs/NAME.py (and tests/wishlist/NAME.py) this writes NAME.out (the
exact stdout) and, when the program exits non-zero, NAME.exit holding the exit code on
the first line and the last line of stderr on the second.

Usage: python3 tests/regen.py [NAME ...]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def regen(path):
    d, f = os.path.split(path)
    base = f[:-3]
    args = []
    args_file = os.path.join(d, base + ".args")
    if os.path.exists(args_file):
        args = open(args_file).read().split()
    r = subprocess.run([sys.executable, f] + args, cwd=d, capture_output=True, timeout=120,
                       env={**os.environ, "PYTHONHASHSEED": "0"})
    with open(os.path.join(d, base + ".out"), "wb") as fh:
        fh.write(r.stdout)
    exit_file = os.path.join(d, base + ".exit")
    if r.returncode != 0:
        lines = r.stderr.decode("utf-8", "replace").rstrip("\n").split("\n")
        with open(exit_file, "w") as fh:
            fh.write(f"{r.returncode}\n{lines[-1]}\n")
    elif os.path.exists(exit_file):
        os.remove(exit_file)


def main():
    names = set(sys.argv[1:])
    for sub in ("programs", "wishlist"):
        d = os.path.join(HERE, sub)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".py") and (not names or f[:-3] in names):
                regen(os.path.join(d, f))


if __name__ == "__main__":
    main()
