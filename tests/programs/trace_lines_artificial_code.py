# 'line' events around compiler-made code: leaving an except clause, a class body's
# first line and docstring, a break/continue that unwinds a finally or a with.
import sys

def run(func):
    events = []
    base = func.__code__.co_firstlineno
    def tracer(frame, event, arg):
        if frame.f_code.co_filename == __file__:
            events.append((frame.f_lineno - base, event))
        return tracer
    sys.settrace(tracer)
    try:
        func()
    finally:
        sys.settrace(None)
    print(func.__name__, events)

def nested_try_if():
    x = "hello"
    try:
        3/0
    except ZeroDivisionError as e:
        if x == 'raise':
            raise ValueError()
    f = 7

def class_body():
    class A:
        '''doc'''
        if 3 < 9:
            a = 1
        else:
            a = 2

class C:
    def __enter__(self):
        return self
    def __exit__(*args):
        pass

def break_with():
    for i in (1, 2):
        with C():
            break
    pass

def continue_finally():
    for i in range(2):
        try:
            if i > 0:
                continue
            a = 1
        finally:
            c = 2
    d = 3

for f in (nested_try_if, class_body, break_with, continue_finally):
    run(f)
