"""timeit: time small snippets (Timer, timeit, repeat) with time.perf_counter."""
import time

default_timer = time.perf_counter
default_number = 1000000
default_repeat = 5

__all__ = ["Timer", "timeit", "repeat", "default_timer"]

_dummy_src_name = "<timeit-src>"


def _indent(src, level):
    pad = "    " * level
    return "\n".join(pad + line for line in src.splitlines()) or pad + "pass"


def _source_of(code, what, level, ns):
    """The lines that run `code` (source, or a callable passed in through `ns`) at
    indentation `level` of the generated function."""
    if isinstance(code, str):
        compile(code, _dummy_src_name, "exec")
        return _indent(code, level)
    if callable(code):
        ns["_" + what] = code
        return "    " * level + f"_{what}()"
    raise ValueError(f"{what} is neither a string nor callable")


class Timer:
    """Runs `stmt` in a loop inside a generated function, after `setup`, so names the
    statement assigns are locals of that function (as with CPython's timeit)."""

    def __init__(self, stmt="pass", setup="pass", timer=default_timer, globals=None):
        self.timer = timer
        ns = {}
        g = {} if globals is None else globals
        setup_src = _source_of(setup, "setup", 1, ns)
        stmt_src = _source_of(stmt, "stmt", 2, ns)
        parts = [
            "def inner(_it, _timer" + "".join(f", {n}={n}" for n in ns) + "):",
            setup_src,
            "    _t0 = _timer()",
            "    for _i in _it:",
            stmt_src,
            "    _t1 = _timer()",
            "    return _t1 - _t0",
        ]
        src = "\n".join(parts) + "\n"
        exec(compile(src, _dummy_src_name, "exec"), g, ns)
        self.inner = ns["inner"]

    def timeit(self, number=default_number):
        return self.inner(range(number), self.timer)

    def repeat(self, repeat=default_repeat, number=default_number):
        return [self.timeit(number) for _ in range(repeat)]

    def autorange(self, callback=None):
        i = 1
        while True:
            for j in 1, 2, 5:
                number = i * j
                time_taken = self.timeit(number)
                if callback:
                    callback(number, time_taken)
                if time_taken >= 0.2:
                    return (number, time_taken)
            i *= 10


def timeit(stmt="pass", setup="pass", timer=default_timer, number=default_number, globals=None):
    return Timer(stmt, setup, timer, globals).timeit(number)


def repeat(stmt="pass", setup="pass", timer=default_timer, repeat=default_repeat,
           number=default_number, globals=None):
    return Timer(stmt, setup, timer, globals).repeat(repeat, number)
