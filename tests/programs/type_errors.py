# TypeError messages for common mistakes.
cases = [
    lambda: 1 + "a",
    lambda: "a" + 1,
    lambda: [1] + (2,),
    lambda: len(5),
    lambda: 5(),
    lambda: None.x,
    lambda: [][None],
    lambda: {}[[]],
    lambda: int([]),
    lambda: "a" < 1,
    lambda: -"s",
    lambda: sorted([1, "a"]),
    lambda: "x" * 2.0,
    lambda: abs("s"),
    lambda: sum(["a"]),
    lambda: (1, 2)[0:1:0],
    lambda: "abc".index("z"),
    lambda: int("12a"),
    lambda: float("x1"),
    lambda: [1, 2].index(3),
    lambda: chr(-1),
    lambda: divmod(1, 0),
    lambda: 1 % 0,
    lambda: 2.0 // 0,
    lambda: "{}{}".format(1),
]
for c in cases:
    try:
        c()
    except Exception as e:
        print(type(e).__name__ + ":", e)
