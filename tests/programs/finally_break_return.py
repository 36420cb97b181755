def g1(x):
    for count in [0, 1]:
        count2 = 0
        while count2 < 20:
            count2 += 10
            try:
                return count + count2
            finally:
                if x:
                    break
    return 'end', count, count2
print(g1(False), g1(True))
def g2(x):
    for i in range(3):
        try:
            return i
        finally:
            if x:
                continue
    return 'done'
print(g2(False), g2(True))
def g3():
    for i in range(2):
        try:
            try:
                return 1
            finally:
                print("inner")
        finally:
            print("outer", i)
            if i == 0:
                continue
    return 'x'
print(g3())
def g4():
    try:
        return 'a'
    finally:
        return 'b'
print(g4())
def g5():
    with open('/dev/null') as f:
        for i in range(3):
            try:
                return i
            finally:
                if i < 2:
                    continue
print(g5())
