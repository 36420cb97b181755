# A class's dict holds its instances' `__dict__` and `__weakref__` descriptors
# (getset_descriptor), as CPython's does.
def t(s):
    try: exec(s, globals()); print("ok:", s)
    except Exception as e: print(s, "->", type(e).__name__, e)
class C: pass
class D(list): pass
t("C.__dict__['__dict__']")
t("print(sorted(C.__dict__))")
t("print(sorted(D.__dict__))")
t("print(type(C.__dict__['__weakref__']))")
