# Code after return/raise/break/continue is dead: its jumps must not decide the stack
# depth of the code they jump to (an exception handler inside a loop that follows such
# code unwound the stack to a wrong depth).
import os


def lookup(name, found=False):
    try:
        raise OSError
    except OSError:
        if found:
            try:
                pass
            except OSError:
                pass
            else:
                return "early"
        for d in ["a", 3, "b"]:
            try:
                full = os.path.join(d, name)
            except TypeError:
                continue
            try:
                raise OSError(full)
                break
            except OSError:
                pass
        else:
            return "none found"
    return "found"


try:
    raise NameError("outer")
except NameError:
    print(lookup("x"), lookup("x", True))


def loops():
    out = []
    for i in range(3):
        tries = 0
        while tries < 2:
            tries += 1
            try:
                if i == 1:
                    continue
                out.append(i)
                break
                out.append("dead")
            finally:
                out.append("f")
        else:
            out.append("exhausted")
            continue
            return "unreachable"
    return out


print(loops())


def after_raise(n):
    for i in range(n):
        try:
            raise ValueError(i)
            print("dead")
        except ValueError as e:
            if e.args[0] == 1:
                return [j for j in range(i)]
    return None


print(after_raise(1), after_raise(3))

# Big displays and calls build their values one item at a time (a small stack).
names = ", ".join("a%d" % i for i in range(100))
ns = {}
exec("def f(*args, **kw): return len(args), len(kw)\n"
     "def g(%s): return a0 + a99\n" % names, ns)
code = compile("(f(" + "x, " * 100 + "), [" + "x, " * 100 + "], {" + "x, " * 100 + "}, ("
               + "x, " * 100 + "), f(" + ", ".join("k%d=x" % i for i in range(100)) + "), g("
               + "x, " * 100 + "))", "<big>", "eval")
r = eval(code, {"x": 1, "f": ns["f"], "g": ns["g"]})
print(code.co_stacksize < 20, r[0], len(r[1]), r[2], len(r[3]), r[4], r[5])
