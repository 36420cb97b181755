# A Python subclass of a builtin inherits the builtin's special methods before those
# of classes later in its MRO: IntEnum members hash and compare as their int values,
# so dicts keyed by them find plain ints (http.client.responses[200]).
import enum
import http
import http.client


class Status(enum.IntEnum):
    OK = 200
    NOT_FOUND = 404


print(hash(Status.OK), Status.OK == 200, 200 == Status.OK, hash(Status.OK) == hash(200))
d = {Status.OK: "ok"}
print(d.get(200), 200 in d, d[200], {200: "x"}[Status.OK])
print(http.client.responses[200], http.client.responses[404], http.HTTPStatus(200).phrase)
print({Status.OK, 200}, len({Status.OK, 200}))


class Mixin:
    def __str__(self):
        return "mixin str"

    def __hash__(self):
        return 7


class I(int, Mixin):
    pass


class J(Mixin, int):
    pass


print(str(I(3)), hash(I(3)), str(J(3)), hash(J(3)))


class E(Exception):
    pass


class F(E, Mixin):
    pass


print(str(F("msg")), repr(F("m")))


class K(str, enum.Enum):
    A = "a"


print({"a": 1}.get(K.A), K.A == "a", hash(K.A) == hash("a"))
