# stitch: cyclic (exec defines a function whose globals dict holds the function itself)
x = 10
print(eval("x * 2 + 1"), eval("[i for i in range(3)]"), eval(" 1 + 1"))
def f(y):
    return eval("y + x")
print(f(5))
ns = {}
exec("a = 1\ndef g(): return a + 1\nb = g()", ns)
print(ns["a"], ns["b"])
exec("z = 42")
print(z)
code = compile("3 * 4", "<s>", "eval")
print(eval(code), eval("q", {"q": "from dict"}))
try:
    eval("1 +")
except SyntaxError as e:
    print("SyntaxError", type(e).__name__)
with open("stitch_test_file.tmp", "w") as fh:
    fh.write("line one\n")
    print("line two", file=fh)
with open("stitch_test_file.tmp") as fh:
    print(fh.read())
with open("stitch_test_file.tmp", "a") as fh:
    fh.writelines(["three\n"])
for line in open("stitch_test_file.tmp"):
    print(repr(line))
print(open("stitch_test_file.tmp").readlines())
try:
    open("/nonexistent/file.txt")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)
