# Each target of a multi-line unpacking is located at its own line ('line' events);
# a jump to a line whose code nothing reaches finds no code there.
import sys

def unpack():
    (a,
     b,
     c) = range(3)
    return a + b + c

events = []
def tracer(frame, event, arg):
    if frame.f_code is unpack.__code__:
        events.append((event, frame.f_lineno - unpack.__code__.co_firstlineno))
    return tracer
sys.settrace(tracer)
unpack()
sys.settrace(None)
print(events)

def dead(output):
    output.append(1)
    while True:
        output.append(3)
    output.append(4)

def jumper(frame, event, arg):
    if frame.f_code is dead.__code__ and event == 'line':
        if frame.f_lineno == dead.__code__.co_firstlineno + 3:
            try:
                frame.f_lineno = frame.f_lineno + 1
            except ValueError as e:
                print(str(e).replace(str(frame.f_lineno + 1), 'N'))
            raise KeyError('stop')
    return jumper
out = []
sys.settrace(jumper)
try:
    dead(out)
except KeyError:
    pass
sys.settrace(None)
print(out)

try:
    obj = None
    (x,
     obj.attr) = 1, 2
except AttributeError as e:
    print(e.__traceback__.tb_lineno - e.__traceback__.tb_frame.f_code.co_firstlineno)
