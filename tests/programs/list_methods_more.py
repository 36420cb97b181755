a = [5, 2, 8, 2, 9, 1]
print(a.index(2), a.index(2, 2), a.count(2), a.count(7))
a.remove(2)
print(a)
b = a + [100]
b.insert(100, "end")
b.insert(-100, "start")
print(b)
print(a.pop(-2), a)
c = sorted(a, reverse=True)
print(c, a == sorted(a), [1, 2, 3] == [1, 2, 3], [1, [2]] == [1, [2]])
people = [("bob", 25), ("alice", 30), ("carol", 25), ("dave", 30)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
people.sort(key=lambda p: p[0], reverse=True)
print(people)
n = [3, 1, 2]
n.sort()
n.append(n[:])
print(n, len(n))
lst = list(range(10))
print(lst[::-1][:3], lst[2:8:3], [x for x in lst if x % 3 == 0][::-1])
print([0] * 3 + [1] * 2, [[]] * 2, list(map(len, [[1], [], [1, 2]])))
stack = []
for ch in "(()())":
    if ch == "(":
        stack.append(ch)
    else:
        stack.pop()
print("balanced" if not stack else "unbalanced")
q = [1, 2, 3]
while q:
    print(q.pop(0), end=" ")
print()
copy = lst.copy()
copy[0] = "x"
print(lst[0], copy[0], lst is copy)
