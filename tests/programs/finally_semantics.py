def f1():
    try:
        return 1
    finally:
        return 2
print(f1())
def f2():
    for i in range(3):
        try:
            if i == 1:
                return i
        finally:
            print("finally", i)
print(f2())
def f3():
    try:
        raise ValueError("x")
    finally:
        print("cleanup before propagation")
try:
    f3()
except ValueError as e:
    print("got", e)
def f4():
    try:
        try:
            raise KeyError("inner")
        finally:
            print("inner finally")
    except KeyError:
        print("handled")
    finally:
        print("outer finally")
    return "done"
print(f4())
def f5():
    x = []
    while True:
        try:
            x.append(len(x))
            if len(x) > 2:
                break
        finally:
            x.append("f")
    return x
print(f5())
def f6():
    try:
        return "try"
    except Exception:
        return "except"
    else:
        return "else"
print(f6())
def f7():
    try:
        pass
    except Exception:
        return "except"
    else:
        return "else"
    finally:
        print("f7 finally")
print(f7())
def f8():
    try:
        raise RuntimeError("a")
    except RuntimeError:
        try:
            raise ValueError("b")
        except ValueError as e:
            return repr(e.__context__)
print(f8())
