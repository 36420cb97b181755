# stitch: cyclic (importlib and its finders keep reference cycles until exit)
# A finder put on sys.meta_path before importlib was ever imported (as setuptools'
# distutils-precedence.pth does at start-up) sees the imports that follow.
import sys

calls = []


class Finder:
    def find_spec(self, fullname, path, target=None):
        calls.append(fullname)
        return None


sys.meta_path.insert(0, Finder())
try:
    import nonexistent_module_for_the_test
except ImportError as e:
    print("ImportError:", e)
import colorsys

sys.meta_path.pop(0)
print(calls.count("nonexistent_module_for_the_test"), "colorsys" in calls)
print(colorsys.rgb_to_hsv(0.2, 0.4, 0.4))
