# if/elif/else, while, for, break, continue and loop else.
for n in range(15):
    if n % 15 == 0:
        print("FizzBuzz")
    elif n % 5 == 0:
        print("Buzz")
    elif n % 3 == 0:
        print("Fizz")
    else:
        print(n)
i = 0
while i < 10:
    i += 1
    if i == 3:
        continue
    if i == 7:
        break
    print("while", i)
else:
    print("not reached")
for x in []:
    print("never")
else:
    print("for-else runs")
for x in range(3):
    if x == 5:
        break
else:
    print("no break")
def find(seq, target):
    for i, v in enumerate(seq):
        if v == target:
            break
    else:
        return -1
    return i
print(find([4, 5, 6], 6), find([4], 9))
for c in "ab":
    for d in "xy":
        if d == "y":
            continue
        print(c + d)
n = 0
while True:
    n += 1
    if n > 4:
        break
print("n =", n)
total = 0
for k in {"a": 1, "b": 2}:
    total += len(k)
print(total)
