# stitch's interactive prompt (runtime/src/repl.rs runs this once, as module
# `_stitch_repl`): CPython 3.11's REPL behaviour on the Lib's `codeop`.
#
# One statement at a time is read (more lines while `codeop` says it is unfinished),
# compiled in 'single' mode as "<stdin>" (so an expression's value goes through
# sys.displayhook and every statement's lines count from 1) and run in the namespace
# of `__main__`. Errors are shown through sys.excepthook without this module's
# frames, and remembered in sys.last_type/last_value/last_traceback; SystemExit ends
# the session. Prompts are sys.ps1/sys.ps2; on a terminal `input()` shows them, else
# they go to stderr as CPython writes them there.
import sys


def _show(exc, tb):
    # The traceback shown is the statement's own: none of this module's frames (or,
    # for a SyntaxError, codeop's).
    exc.__traceback__ = tb
    sys.last_type, sys.last_value, sys.last_traceback = type(exc), exc, tb
    sys.excepthook(type(exc), exc, tb)


def _read(prompt, tty):
    if tty:
        return input(prompt)
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line[:-1] if line.endswith("\n") else line


def _install_helpers():
    # What CPython's `site` puts in builtins, which the banner names.
    import builtins
    import _sitebuiltins

    if not hasattr(builtins, "help"):
        builtins.help = _sitebuiltins._Helper()
    if not hasattr(builtins, "copyright"):
        builtins.copyright = _sitebuiltins._Printer("copyright", sys.copyright)
    if not hasattr(builtins, "credits"):
        builtins.credits = _sitebuiltins._Printer(
            "credits",
            "    Thanks to CWI, CNRI, BeOpen.com, Zope Corporation and a cast of thousands\n"
            "    for supporting Python development.  See www.python.org for more information.",
        )
    if not hasattr(builtins, "license"):
        builtins.license = _sitebuiltins._Printer(
            "license", "See https://www.python.org/psf/license/"
        )


def interact(ns, banner, startup):
    import codeop

    _install_helpers()

    if not hasattr(sys, "ps1"):
        sys.ps1 = ">>> "
    if not hasattr(sys, "ps2"):
        sys.ps2 = "... "
    if banner:
        sys.stderr.write(banner)
    if startup:
        try:
            with open(startup, "rb") as f:
                exec(compile(f.read(), startup, "exec"), ns)
        except SystemExit:
            raise
        except BaseException as e:
            _show(e, e.__traceback__.tb_next)
    tty = sys.stdin is not None and sys.stdin.isatty()
    lines = []
    while True:
        try:
            line = _read(str(sys.ps2 if lines else sys.ps1), tty)
        except (EOFError, OSError, ValueError):
            # End of input, or standard input closed under us (as `os.close(0)`).
            sys.stderr.write("\n")
            sys.stderr.flush()
            return
        except KeyboardInterrupt:
            sys.stderr.write("\nKeyboardInterrupt\n")
            lines = []
            continue
        lines.append(line)
        try:
            code = codeop.compile_command("\n".join(lines), "<stdin>", "single")
        except (SyntaxError, ValueError, OverflowError) as e:
            lines = []
            _show(e, None)
            continue
        if code is None:
            continue
        lines = []
        try:
            exec(code, ns)
        except SystemExit:
            raise
        except BaseException as e:
            # The traceback starts at the statement's frame, not this function's.
            _show(e, e.__traceback__.tb_next)
        finally:
            sys.stdout.flush()
