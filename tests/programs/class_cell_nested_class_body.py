# A class body nested in a method reads the enclosing class's `__class__` cell (a free
# variable) while its own methods get its own implicit cell.
class T:
    def meth(self):
        class X:
            x = __class__
            def f():
                return __class__
        print(X.x is T, X.f() is X)
        class Y:
            __class__ = 5
            def g(self):
                return __class__
        print(Y.__dict__['__class__'], Y().g() is Y)
T().meth()
try:
    exec("""class X:
    __class__
    def f():
        __class__""", globals(), {})
except NameError as e:
    print(type(e).__name__, e)
class A:
    def f(self): return 'A'
class B(A):
    def f(self):
        return super().f() + 'B'
    __class__ = 413
print(B().f(), B().__class__)
class Z:
    global __class__
    __class__ = 42
    def f():
        __class__
print(globals()["__class__"], "__class__" in Z.__dict__)
def outer():
    def inner():
        class K:
            def m(self):
                return __class__
        return K
    return inner()
K = outer()
print(K().m() is K)
