# `cls.__bases__ = (...)` and metaclass `mro()` overrides (CPython's type_set_bases,
# mro_invoke, mro_check; test_descr's test_altmro and test_mutable_bases*).
def attempt(f):
    try:
        f()
        print("ok")
    except Exception as e:
        print(type(e).__name__ + ":", e)


class A:
    def meth(self):
        return "A"


class B:
    def meth(self):
        return "B"


class C(A):
    pass


class D(C):
    pass


d = D()
print(d.meth(), D.__mro__[1:3] == (C, A))
C.__bases__ = (B,)
print(d.meth(), [k.__name__ for k in D.__mro__], [k.__name__ for k in C.__mro__])
print(A.__subclasses__(), [k.__name__ for k in B.__subclasses__()])
C.__bases__ = (A, B)
print(d.meth(), [k.__name__ for k in D.__mro__])


def setter(cls, bases):
    def f():
        cls.__bases__ = bases
    return f


attempt(setter(C, ()))
attempt(setter(C, [A]))
attempt(setter(C, (1,)))
attempt(setter(C, (D,)))
attempt(setter(C, (A, A)))
attempt(setter(int, (object,)))


class X:
    pass


attempt(setter(X, (A,)))
attempt(setter(X, (int,)))


class L(list):
    pass


class L2(list):
    pass


attempt(setter(L, (L2,)))
attempt(setter(L, (dict,)))


def delete():
    del X.__bases__


attempt(delete)


class P(A):
    pass


class Q(A):
    pass


class R(P, Q):
    pass


# An MRO conflict leaves everything as it was.
attempt(setter(P, (Q,)))
attempt(setter(Q, (P,)))
print([k.__name__ for k in R.__mro__], P.__bases__, Q.__bases__)


class WorkOnce(type):
    def __new__(self, name, bases, ns):
        self.flag = 0
        return super(WorkOnce, self).__new__(WorkOnce, name, bases, ns)

    def mro(self):
        if self.flag > 0:
            raise RuntimeError("bozo")
        self.flag += 1
        return type.mro(self)


class WorkAlways(type):
    def mro(self):
        return type.mro(self)


class F(A):
    pass


class G(F, metaclass=WorkOnce):
    pass


attempt(setter(F, (B,)))
print([k.__name__ for k in G.__mro__], F.__bases__ == (A,), [k.__name__ for k in F.__mro__])


class Reverse(type):
    def mro(cls):
        L = type.mro(cls)
        L.reverse()
        return L


class H(D, metaclass=Reverse):
    pass


print([k.__name__ for k in H.__mro__], H().meth())


def bad_mro(result):
    class Meta(type):
        def mro(self):
            return result

    def f():
        class Z(metaclass=Meta):
            pass
    return f


attempt(bad_mro([1]))
attempt(bad_mro(1))
attempt(bad_mro([]))
attempt(bad_mro([dict, object]))
attempt(bad_mro((A, object)))
print(type.mro(D) == list(D.__mro__), A.mro())
try:
    class Dup(A, A):
        pass
except TypeError as e:
    print("TypeError:", e)
attempt(lambda: setattr(A, "__dict__", {}))
attempt(lambda: setattr(A, "__mro__", ()))
