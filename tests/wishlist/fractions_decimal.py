# Gap: fractions and decimal.
from fractions import Fraction
from decimal import Decimal
print(Fraction(1, 3) + Fraction(1, 6), Decimal("0.1") + Decimal("0.2"))
