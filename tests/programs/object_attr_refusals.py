# object() takes no attributes and has no __dict__; builtin instances refuse
# __class__ assignment with a TypeError; Python instances and exceptions keep theirs.
def t(s):
    try: exec(s, globals()); print("ok:", s)
    except Exception as e: print(s, "->", type(e).__name__, e)
t("o = object(); o.foo = 1")
t("[].__class__ = dict")
t("(1).__class__ = bool")
class C: pass
class D(list): pass
t("C().__dict__ = 5")
class E:
    def __init__(self): self.x = 1
t("e = E(); e.__dict__ = {'y': 2}; print(e.y)")
t("print(C.__weakref__)")
