"""Run one module of CPython's regression suite (`test.<name>`) and print a summary.

Run by scripts/conformance under stitch and under CPython alike, so both count the
same way: the tests unittest loads from the module (honouring `load_tests`), run
quietly; a test passes when it ran, was not skipped, and neither it nor any of its
subtests failed or raised. The last line of output is `CONFORMANCE <json>`.
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
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
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
