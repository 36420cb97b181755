# Hot loops whose traces load globals and builtins as constants, while the program
# rebinds, shadows, deletes and restores them at random-looking iterations (directly,
# from called functions, through globals(), through the builtins module): every
# change must be seen at once, in tier 1 and in traces.
import builtins

SCALE = 2
OFFSET = 1


def bump():
    global SCALE
    SCALE += 1


def total(xs):
    s = 0
    for x in xs:
        s += x * SCALE + OFFSET + len(xs)
    return s


def run():
    global OFFSET, len
    xs = list(range(20))
    out = []
    for i in range(400):
        out.append(total(xs))
        if i == 100:
            bump()
        elif i == 150:
            OFFSET = 2.5
        elif i == 200:
            len = lambda v: 1000  # a global shadows the builtin
        elif i == 250:
            del len  # the builtin is visible again
        elif i == 300:
            globals()["SCALE"] = -1
        elif i == 350:
            builtins.len = lambda v: 7
        elif i == 360:
            builtins.len = real_len
    return out


real_len = len
r = run()
print(len(r), r[0], r[100], r[101], r[151], r[201], r[251], r[301], r[351], r[399])


def inner_changes():
    global OFFSET
    n = 0
    for i in range(3000):
        n += OFFSET
        if i % 700 == 699:
            OFFSET = OFFSET + 1
    return n


OFFSET = 1
print(inner_changes(), OFFSET)
