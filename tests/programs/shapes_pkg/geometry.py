PI_ISH = 3.14
def area(r):
    return PI_ISH * r * r
