# stitch's bridge between its native import system and the Lib's importlib.
#
# stitch imports modules natively (runtime/src/import.rs) and does not load importlib
# at start-up, so that `stitch -c pass` stays fast. When a program first imports
# `importlib`, this module (registered as `_stitch_importlib`) installs the finders
# CPython's frozen bootstrap installs at start-up, and gives every module already
# loaded the `__spec__` and `__loader__` importlib would have given it. From then on
# the native importer asks `spec_for` for each new module, and hands an import to
# importlib whenever sys.meta_path holds a finder other than the default ones.
import sys
# CPython's start-up has imported `os` before importlib can load anything, and the Lib
# relies on it (`genericpath` run first would meet itself half-run through `os`):
# the native importer keeps that order for `import genericpath` (import.rs), this for
# importlib's own loaders.
import os  # noqa: F401
import importlib._bootstrap as _bootstrap
import importlib._bootstrap_external as _external


def _install():
    # CPython's bootstrap modules stay importable under their frozen names (zipimport,
    # django's autoreload and coverage import `_frozen_importlib_external`).
    sys.modules.setdefault("_frozen_importlib", _bootstrap)
    sys.modules.setdefault("_frozen_importlib_external", _external)
    sys.meta_path.append(_bootstrap.BuiltinImporter)
    sys.meta_path.append(_bootstrap.FrozenImporter)
    _external._install(_bootstrap)
    for name, module in list(sys.modules.items()):
        # `__main__` has no spec, also under the aliases `multiprocessing` gives it
        # (`__mp_main__`).
        if (name == "__main__" or getattr(module, "__name__", None) == "__main__"
                or getattr(module, "__spec__", None) is not None):
            continue
        try:
            spec = spec_for(module)
        except Exception:
            continue
        if spec is not None:
            module.__spec__ = spec
            module.__loader__ = spec.loader


def spec_for(module):
    """The spec importlib's finders would give `module` (a native module or one loaded
    from a .py file by the native importer)."""
    name = module.__name__
    file = module.__dict__.get("__file__")
    if file is None:
        if name in sys.builtin_module_names:
            return _bootstrap.ModuleSpec(name, _bootstrap.BuiltinImporter, origin="built-in")
        path = module.__dict__.get("__path__")
        if path is not None:
            # A namespace package: importlib's NamespaceLoader and spec.
            path = list(path)
            loader = _external.NamespaceLoader(name, path, _external.PathFinder._get_spec)
            spec = _bootstrap.ModuleSpec(name, loader, is_package=True)
            spec.submodule_search_locations = path
            return spec
        return None
    path = module.__dict__.get("__path__")
    if path is not None:
        return _external.spec_from_file_location(
            name, file, submodule_search_locations=list(path))
    return _external.spec_from_file_location(name, file)


def find_and_load(name):
    """Import `name` through importlib (a custom finder is on sys.meta_path)."""
    return _bootstrap._gcd_import(name)


def use_native_locks(acquire, release):
    """Make importlib's per-module locks the native importer's (called by stitch once
    this module has run), so that both take one lock per name and one deadlock
    detector sees both (runtime/src/import/lock.rs). `_module_locks` stays empty: a
    name's lock lives in the native table while some thread holds or waits for it."""

    class _ModuleLock:
        __slots__ = ("name",)

        def __init__(self, name):
            self.name = name

        def acquire(self):
            return acquire(self.name)

        def release(self):
            release(self.name)

        def __repr__(self):
            return '_ModuleLock({!r}) at {}'.format(self.name, id(self))

    _bootstrap._get_module_lock = _ModuleLock


DEFAULT_FINDERS = (_bootstrap.BuiltinImporter, _bootstrap.FrozenImporter, _external.PathFinder)

_install()
