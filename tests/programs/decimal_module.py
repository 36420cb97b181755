# Gap: the decimal module (fractions now runs: tests/programs/fractions_numbers.py).
from decimal import Decimal, getcontext
print(Decimal("0.1") + Decimal("0.2"))
getcontext().prec = 6
print(Decimal(1) / Decimal(7))
