import itertools
print(list(itertools.islice(itertools.count(5, 2), 4)), list(itertools.permutations([1,2,3])), list(itertools.combinations("abcd", 2)))
print(list(itertools.product("ab", [0, 1])), list(itertools.chain([1], "xy")), list(itertools.accumulate([1,2,3,4])))
print([(k, list(g)) for k, g in itertools.groupby("aabbbc")], list(itertools.zip_longest("ab", "xyz", fillvalue="-")))
print(list(itertools.takewhile(lambda x: x < 3, [1,2,3,1])), list(itertools.dropwhile(lambda x: x < 3, [1,2,3,1])), list(itertools.starmap(pow, [(2,3),(3,2)])))
