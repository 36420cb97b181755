import builtins
print(builtins.len([1, 2]), builtins.max(3, 4), builtins.int("5"))
print(hasattr(builtins, "print"), builtins.True if False else True)
orig_print = builtins.print
def shout(*args, **kw):
    orig_print(*[str(a).upper() for a in args], **kw)
builtins.print = shout
print("patched print")
builtins.print = orig_print
print("restored")
print(type(builtins).__name__, builtins.__name__)
