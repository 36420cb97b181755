# f_lineno of a frame an exception left: the line that raised, restored by the
# handlers' saved instruction (`lasti`), not the compiler-made cleanup code's.
def other_except():
    try:
        1/0
    except TypeError as ex:
        pass

def in_except():
    try:
        1/0
    except:
        1/0
        pass

def in_named_except():
    try:
        1/0
    except Exception as ex:
        1/0
        pass

def in_try():
    try:
        1/0
    finally:
        pass

def in_finally_except():
    try:
        1/0
    finally:
        1/0
        pass

class Noop:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        pass

class ExitFails:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        raise ValueError

def after_with():
    with Noop():
        1/0
        pass

def exit_fails():
    with ExitFails():
        1/0

def nested():
    try:
        with Noop():
            try:
                [][1]
            except KeyError:
                pass
    finally:
        x = 1

for f in (other_except, in_except, in_named_except, in_try, in_finally_except,
          after_with, exit_fails, nested):
    try:
        f()
    except Exception as e:
        t = e.__traceback__.tb_next
        lines = []
        while t:
            fr = t.tb_frame
            lines.append((t.tb_lineno - fr.f_code.co_firstlineno,
                          fr.f_lineno - fr.f_code.co_firstlineno))
            t = t.tb_next
        print(f.__name__, type(e).__name__, lines)

# A suppressed exception leaves the with statement's stack clean.
def suppress():
    class S:
        def __enter__(self): return self
        def __exit__(self, *a): return True
    for i in range(3):
        with S():
            raise KeyError(i)
    return i
print(suppress())
