# Loops whose branches go both ways often enough for side traces (a hot branch exit
# gets a trace down the other way): one side trace runs to the back edge and jumps
# back into the loop's trace, another ends at an instruction the translator leaves to
# tier 1 (a recursive call), one exits inside an inlined call, and the types change
# late so guards inside side traces fail.


def branches(n):
    a = b = c = 0
    for i in range(n):
        if i % 3 == 0:
            a += i
        elif i % 5 == 1:
            b -= i
        else:
            c ^= i
        if i == n - 100:
            a = a * 1.5
    return a, b, c


print(branches(5000))


def fact(k):
    return 1 if k < 2 else k * fact(k - 1)


def calls(n):
    t = 0
    for i in range(n):
        if i % 2 == 0:
            t += fact(i % 6)
        else:
            t -= 1
    return t


print(calls(4000))


def helper(x):
    if x > 3990:
        return x * 0.5
    return x + 1


def inlined(n):
    s = 0
    for i in range(n):
        if i % 4 == 0:
            s += helper(i)
        else:
            s += 2
    return s


print(inlined(4000))
