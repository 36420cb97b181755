# A thread started from inside a hot loop that tier 2 has compiled: the trace keeps
# running (it runs only on the thread that compiled it, and what it does is correct
# with other threads running: containers lock from the start on) while the new thread
# mutates the list the loop reads.
import threading

shared = [0] * 64
done = []


def worker(k):
    for j in range(20000):
        shared[j % 64] += 1
    done.append(k)


def run(n, start_at):
    t = None
    acc = 0
    i = 0
    while i < n:
        acc += shared[i % 64] + i % 7
        if i == start_at:
            t = threading.Thread(target=worker, args=(1,))
            t.start()
        i += 1
    t.join()
    return acc


class Starter:
    """Called from inside the compiled loop (a generic call the trace makes itself):
    the thread starts while the trace is running, in the middle of an iteration."""

    def __init__(self, at):
        self.at = at
        self.t = None

    def __call__(self, i):
        if i == self.at:
            self.t = threading.Thread(target=worker, args=(2,))
            self.t.start()
        return i & 3


def run_inside(n, starter):
    acc = 0
    i = 0
    while i < n:
        acc += starter(i) + shared[i % 64]
        i += 1
    starter.t.join()
    return acc


s = Starter(30000)
print(run_inside(50000, s) > 0, sum(shared), done)


acc = run(50000, 30000)
print(sum(shared), done)
print(acc >= 50000 // 7 * 21)


def again(n):
    # Loops get hot and compile after threads exist too.
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s


print(again(10000))
