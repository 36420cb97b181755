"""Run one module of CPython's regression suite (`test.<name>`) and print a summary.

Run by scripts/conformance under stitch and under CPython alike, so both count the
same way: the tests unittest loads from the module (honouring `load_tests`), run
quietly; a test passes when it ran, was not skipped, and neither it nor any of its
subtests failed or raised. The last line of output is `CONFORMANCE <json>`.

A few modules of Debian's 3.11.2 suite (test_decimal, test_xml_etree, test_xml_etree_c)
set their state up in an old-style `test_main()` that then calls
`support.run_unittest(...)`: for those, `test_main()` runs with `run_unittest` collecting
the suites into the same quiet runner (and `run_doctest` skipped), so their tests run
with the state they need instead of failing for the want of it.
"""
import io
import json
import sys
import time
import unittest


def main():
    name = sys.argv[1]
    started = time.time()
    try:
        module = __import__("test." + name, fromlist=["*"])
        suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    except BaseException as e:  # noqa: BLE001 - any import failure is the result
        report(name, 0, 0, 0, 0, "import: %s: %s" % (type(e).__name__, e), started)
        return
    stream = io.StringIO()
    runner = unittest.TextTestRunner(stream=stream, verbosity=0)
    if hasattr(module, "test_main") and not hasattr(module, "load_tests"):
        result = run_test_main(module, runner, stream)
    else:
        result = runner.run(suite)
    bad = {t.id() for t, _ in result.failures + result.errors}
    bad |= {t.id() for t in result.unexpectedSuccesses}
    skipped = {t.id() for t, _ in result.skipped}
    # Subtest failures are reported as "<id> (<params>)": fold them onto their test.
    bad = {b.split(" ", 1)[0] for b in bad}
    passed = result.testsRun - len(bad | skipped)
    detail = ""
    if "-v" in sys.argv:
        detail = stream.getvalue()
    report(name, result.testsRun, passed, len(bad), len(skipped), detail, started)


def run_test_main(module, runner, stream):
    """Run the module's `test_main()`, its `run_unittest` calls going to `runner`."""
    from test import support

    results = []

    def run_unittest(*classes):
        suite = unittest.TestSuite()
        for c in classes:
            if isinstance(c, str):
                suite.addTest(unittest.defaultTestLoader.loadTestsFromModule(sys.modules[c]))
            elif isinstance(c, unittest.TestSuite):
                suite.addTest(c)
            else:
                suite.addTest(unittest.defaultTestLoader.loadTestsFromTestCase(c))
        results.append(runner.run(suite))

    def run_doctest(*args, **kwargs):
        return (0, 0)

    patched = [(support, "run_unittest"), (support, "run_doctest"),
               (module, "run_unittest"), (module, "run_doctest")]
    saved = [(o, n, getattr(o, n)) for o, n in patched if hasattr(o, n)]
    for o, n, _ in saved:
        setattr(o, n, run_unittest if n == "run_unittest" else run_doctest)
    try:
        module.test_main()
    except BaseException as e:  # noqa: BLE001 - counted as one failure
        stream.write("test_main: %s: %s\n" % (type(e).__name__, e))
    finally:
        for o, n, v in saved:
            setattr(o, n, v)
    total = unittest.TestResult()
    for r in results:
        total.testsRun += r.testsRun
        total.failures += r.failures
        total.errors += r.errors
        total.skipped += r.skipped
        total.unexpectedSuccesses += r.unexpectedSuccesses
    return total


def report(name, run, passed, failed, skipped, detail, started):
    if detail:
        sys.stdout.write(detail + "\n")
    summary = {
        "module": name,
        "run": run,
        "passed": max(passed, 0),
        "failed": failed,
        "skipped": skipped,
        "seconds": round(time.time() - started, 1),
    }
    sys.stdout.write("CONFORMANCE " + json.dumps(summary) + "\n")
    sys.stdout.flush()


# Guarded: multiprocessing's spawn and forkserver children import this script again
# (as `__mp_main__`, with the parent's argv) and must not run the module's tests anew.
if __name__ == "__main__":
    main()
