"""Basic statistics: mean, median, mode, variance, standard deviation."""
import math
from collections import Counter


class StatisticsError(ValueError):
    pass


def mean(data):
    data = list(data)
    if not data:
        raise StatisticsError("mean requires at least one data point")
    total = sum(data)
    n = len(data)
    if all(isinstance(x, int) for x in data):
        return total / n if total % n else total // n
    return total / n


def fmean(data):
    data = list(data)
    if not data:
        raise StatisticsError("fmean requires at least one data point")
    return math.fsum(data) / len(data)


def median(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2


def median_low(data):
    data = sorted(data)
    if not data:
        raise StatisticsError("no median for empty data")
    n = len(data)
    return data[n // 2] if n % 2 == 1 else data[n // 2 - 1]


def median_high(data):
    data = sorted(data)
    if not data:
        raise StatisticsError("no median for empty data")
    return data[len(data) // 2]


def mode(data):
    pairs = Counter(iter(data)).most_common(1)
    if not pairs:
        raise StatisticsError("no mode for empty data")
    return pairs[0][0]


def multimode(data):
    counts = Counter(iter(data)).most_common()
    if not counts:
        return []
    maxcount = counts[0][1]
    return [v for v, c in counts if c == maxcount]


def _ss(data, c=None):
    if c is None:
        c = fmean(data)
    return math.fsum((x - c) ** 2 for x in data), c


def variance(data, xbar=None):
    data = list(data)
    if len(data) < 2:
        raise StatisticsError("variance requires at least two data points")
    ss, _ = _ss(data, xbar)
    return ss / (len(data) - 1)


def pvariance(data, mu=None):
    data = list(data)
    if len(data) < 1:
        raise StatisticsError("pvariance requires at least one data point")
    ss, _ = _ss(data, mu)
    return ss / len(data)


def stdev(data, xbar=None):
    return math.sqrt(variance(data, xbar))


def pstdev(data, mu=None):
    return math.sqrt(pvariance(data, mu))
