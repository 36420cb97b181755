a = 256
b = 256
print(a == b, a is b, 1000 == 10 ** 3, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9)
x = [1, 2]
y = [1, 2]
print(x == y, x is y, x is not y, None is None, type(None) is type(None))
print(True is True, (1 == 1) is True, [] == [], {} == {}, () == (), "" == "")
print(1 == 1.0, 1 == True, 0 == False, "1" == 1, [1] == (1,), {1: 1} == {1: 1.0})
nan = float("nan")
print(nan == nan, nan != nan, nan is nan, [nan] == [nan], nan in [nan])
s1 = "hello"
s2 = "hel" + "lo"
print(s1 == s2, s1 < "help", "Z" < "a", "abc" < "abcd", "" < "a")
print(2 == 2.0 == 2, 3 > 2 == 2, 1 < 2 != 3)
