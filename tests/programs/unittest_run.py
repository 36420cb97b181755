import io
import unittest


class Arith(unittest.TestCase):
    def setUp(self):
        self.items = [3, 1, 2]

    def test_sorted(self):
        self.assertEqual(sorted(self.items), [1, 2, 3])

    def test_raises(self):
        with self.assertRaises(ZeroDivisionError):
            1 / 0
        with self.assertRaisesRegex(ValueError, "invalid literal"):
            int("x")

    def test_fails(self):
        self.assertEqual(self.items, [1, 2, 3], "not sorted")

    def test_error(self):
        {}["missing"]

    @unittest.skip("not today")
    def test_skipped(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertTrue(False)

    def test_subtests(self):
        for i in range(3):
            with self.subTest(i=i):
                self.assertLess(i, 2)

    def test_almost(self):
        self.assertAlmostEqual(0.1 + 0.2, 0.3)
        self.assertIsInstance(self, unittest.TestCase)
        self.assertCountEqual([1, 2, 2], [2, 1, 2])
        self.assertDictEqual({"a": 1}, {"a": 1})


class Fixtures(unittest.TestCase):
    log = []

    @classmethod
    def setUpClass(cls):
        cls.log.append("setUpClass")

    def tearDown(self):
        self.log.append("tearDown")

    def test_one(self):
        self.addCleanup(self.log.append, "cleanup")


stream = io.StringIO()
runner = unittest.TextTestRunner(stream=stream, verbosity=2)
suite = unittest.defaultTestLoader.loadTestsFromModule(__import__("__main__"))
result = runner.run(suite)
print(result.testsRun, len(result.failures), len(result.errors), len(result.skipped),
      len(result.expectedFailures), result.wasSuccessful())
for test, _ in result.failures + result.errors:
    print("problem:", test.id())
print(Fixtures.log)
lines = [l for l in stream.getvalue().splitlines() if " ... " in l]
for l in sorted(lines):
    print(l)
text = stream.getvalue()
print("AssertionError: Lists differ" in text, "KeyError: 'missing'" in text)
