import textwrap, statistics
text = "The quick brown fox jumps over the lazy dog and keeps running far away into the forest."
print(textwrap.wrap(text, 20))
print(textwrap.fill(text, 30))
print(repr(textwrap.dedent("    a\n      b\n    c")), repr(textwrap.indent("x\ny\n", "> ")), textwrap.shorten(text, 30))
data = [2, 4, 4, 4, 5, 5, 7, 9]
print(statistics.mean(data), statistics.median(data), statistics.mode(data), statistics.pstdev(data), round(statistics.stdev(data), 6))
print(statistics.median([3, 1, 2]), statistics.mean([1.5, 2.5]), statistics.variance([1, 2, 3, 4]), statistics.multimode("aabbc"))
