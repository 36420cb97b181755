# stitch: cyclic (parsers and their argument groups refer to each other; no cycle GC yet)
# argparse: long usage lines and help text wrap at 78 columns; prog from sys.argv[0].
import argparse, io, contextlib
p = argparse.ArgumentParser(description="A program with a great many options so that its usage line must wrap around onto several lines.")
for name in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]:
    p.add_argument(f"--{name}-option", metavar=name.upper(), help=f"the {name} option, which has a long explanation that also needs to wrap across lines in the help output")
p.add_argument("inputs", nargs="+", help="input files")
p.add_argument("--very-long-option-name-that-overflows", action="store_true", help="short")
print(p.prog)
print(p.format_help(), end="")
print(p.parse_args(["a", "b", "--beta-option", "3"]))
err = io.StringIO()
try:
    with contextlib.redirect_stderr(err):
        p.parse_args(["--alpha-option"])
except SystemExit as e:
    print(e.code, err.getvalue())
