# f-strings with conversions and format specs.
name = "world"
x = 3.14159265
n = 1234567
print(f"hello {name}!", f"{name!r}", f"{name:>10}|", f"{name:*^11}")
print(f"{x:.3f} {x:10.2f}| {x:e} {x:g} {x:.0f} {x:+.1f} {-x:.2f}")
print(f"{n:,} {n:_} {n:>12,} {n:x} {n:X} {n:o} {n:b} {n:#x} {n:#o} {n:#b}")
print(f"{42:05d} {-42:05d} {42:+d} {42: d} {0.5:%} {0.25:.1%}")
print(f"{'nested ' + name.upper()}", f"{[1, 2, 3][1]}", f"{ {'a': 1}['a'] }")
width = 8
prec = 3
print(f"{x:{width}.{prec}f}|", f"{'s':{width}}|")
print(f"{x=}", f"{n = }", f"{name=!s}", f"{x=:.2f}")
print(f"{3 + 4}", f"{'a' if x > 3 else 'b'}", f"{len(name)}")
print(f"{1e20:g} {1e-7:g} {123456789:g} {0.0001:g} {100.0:g} {1.5:g}")
print(f"{12.5:.0f} {13.5:.0f} {2.675:.2f} {1e16:.1f}")
print(f"{True} {None} {[1, 'a']} {(1,)}")
print(f"{3:3}|{'ab':3}|{1.5:6}|")
print(format(255, "x"), format(3.5, ".2e"), format("s", "^5"), format(1234.5, ",.1f"))
print(f"{float('inf')} {float('-inf'):>6} {float('nan')}")
