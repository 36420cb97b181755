print("never runs")
x = (1 +
def broken(:
    pass
