# A loop compiled to a tier-2 trace must see signals: its handler runs and the
# exception it raises reaches the program, as in tier 1 (issue 16: the eval breaker in
# traces). The loop does only int arithmetic, so it never calls back into the runtime.
import signal


class Alarm(Exception):
    pass


def handler(signum, frame):
    raise Alarm(signum == signal.SIGALRM)


def spin():
    i = 0
    n = 0
    while True:
        i += 1
        if i > 1000:
            i = 0
            n += 1


def spin_for(limit):
    total = 0
    for k in range(limit):
        total += k & 7
    return total


signal.signal(signal.SIGALRM, handler)
for round in range(3):
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    try:
        spin()
    except Alarm as e:
        print("round", round, "interrupted:", e)
signal.setitimer(signal.ITIMER_REAL, 0.02)
try:
    spin_for(10**12)
except Alarm as e:
    print("for loop interrupted:", e)
print(spin_for(1000))
