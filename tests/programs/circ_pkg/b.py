from . import a
B_VALUE = "b"
def use_a():
    return a.A_VALUE
