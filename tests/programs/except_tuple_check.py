# `except (A, B):` checks every item is an exception class before matching
# (CPython's check_except_type_valid), even when an earlier item matches.
for ty in ((ValueError, 42), ((ValueError,),), 42, (ValueError, KeyError), ()):
    try:
        try:
            raise ValueError("x")
        except ty:
            print("caught by", ty)
    except TypeError as e:
        print("TypeError:", e)
    except ValueError:
        print("not caught by", ty)
