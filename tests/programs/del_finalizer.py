# __del__ runs when the last reference goes.
class N:
    def __del__(self):
        print("del")
o = N()
o = None
print("after")
