# stitch: cyclic (parsers and their argument groups refer to each other; no cycle GC yet)
# argparse: parsing, defaults, types, nargs, actions, groups, help and errors.
import argparse, sys, io, contextlib

p = argparse.ArgumentParser(prog="tool", description="Process some files quickly.", epilog="See the docs.")
p.add_argument("src", help="input file")
p.add_argument("dst", nargs="?", default="out.txt", help="output file (default: %(default)s)")
p.add_argument("-n", "--count", type=int, default=3, help="how many times")
p.add_argument("-v", "--verbose", action="count", default=0, help="more output")
p.add_argument("--mode", choices=["fast", "slow"], default="fast", help="speed")
p.add_argument("--tag", action="append", help="tags to add")
p.add_argument("-q", "--quiet", action="store_true")
p.add_argument("--ratio", type=float, metavar="R", help="a ratio")
p.add_argument("--pair", nargs=2, type=int, metavar=("A", "B"))
p.add_argument("--items", nargs="*", default=[])
p.add_argument("--version", action="version", version="%(prog)s 1.0")
g = p.add_mutually_exclusive_group()
g.add_argument("--json", action="store_true", help="JSON output")
g.add_argument("--xml", action="store_true", help="XML output")

for argv in [["in.txt"], ["in.txt", "o.txt", "-n", "5", "-vv", "--mode=slow", "--tag", "a", "--tag", "b"],
             ["-q", "--ratio", "0.5", "x", "--pair", "1", "2", "--items", "p", "q"], ["--count=7", "y", "--json"]]:
    ns = p.parse_args(argv)
    print(sorted(vars(ns).items()))
print(p.parse_known_args(["a", "--unknown", "b"]))
print(repr(argparse.Namespace(a=1, b="x")), argparse.Namespace(a=1) == argparse.Namespace(a=1))
print(p.format_usage(), end="")
print(p.format_help(), end="")

def run(argv):
    err = io.StringIO()
    out = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            p.parse_args(argv)
    except SystemExit as e:
        print("exit", e.code, repr(out.getvalue()), repr(err.getvalue()))

run([])
run(["z", "-n9", "--cou", "4", "--", "-weird"])
run(["z", "--", "-w"])
run(["a", "-n", "x"])
run(["a", "--mode", "medium"])
run(["a", "b", "c"])
run(["a", "--json", "--xml"])
run(["a", "--pair", "1"])
run(["--version"])
run(["-h"])

sub = argparse.ArgumentParser(prog="git")
sp = sub.add_subparsers(dest="cmd", help="sub-command help")
c = sp.add_parser("commit", help="record changes")
c.add_argument("-m", "--message", required=True)
s = sp.add_parser("status", help="show status")
s.add_argument("--short", action="store_true")
print(sorted(vars(sub.parse_args(["commit", "-m", "msg"])).items()))
print(sorted(vars(sub.parse_args(["status", "--short"])).items()))
print(sub.format_help(), end="")
q = argparse.ArgumentParser(prog="q", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
q.add_argument("--level", type=int, default=2, help="the level")
q.add_argument("names", nargs="+", help="names")
grp = q.add_argument_group("extra", "Extra settings.")
grp.add_argument("--flag", action="store_false", help="turn off")
q.set_defaults(func="handler")
print(sorted(vars(q.parse_args(["a", "b"])).items()))
print(q.format_help(), end="")
