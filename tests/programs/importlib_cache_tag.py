# importlib's cached-module names need `sys.implementation.cache_tag` (None would mean
# "no caching": cache_from_source raises). The tag is the implementation's own, so only
# its shape is printed. importlib loading `genericpath` first must work as in CPython.
import importlib
import importlib.util
import sys

m = importlib.import_module("genericpath")
print(m.__name__, m.isdir("/"))
tag = sys.implementation.cache_tag
print(type(tag).__name__, tag.endswith("-311"))
p = importlib.util.cache_from_source("/a/pkg/mod.py")
print(p == "/a/pkg/__pycache__/mod." + tag + ".pyc")
print(importlib.util.source_from_cache(p))
o = importlib.util.cache_from_source("/a/mod.py", optimization=2)
print(o.endswith(".opt-2.pyc"), importlib.util.source_from_cache(o))
try:
    importlib.util.source_from_cache("/a/__pycache__/mod.pyc")
except ValueError as e:
    print("ValueError", e)
