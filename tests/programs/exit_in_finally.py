import sys
try:
    print("in try")
    sys.exit(7)
finally:
    print("finally still runs")
