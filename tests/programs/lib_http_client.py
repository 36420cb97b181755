# stitch: cyclic
import http, http.client, email.message, enum

print(http.HTTPStatus(404).phrase, int(http.HTTPStatus.OK), http.HTTPStatus.NOT_FOUND.name)
print(http.client.HTTP_PORT, http.client.HTTPConnection.__name__)
m = email.message.Message()
m["Subject"] = "hello"
m["To"] = "a@example.com"
print(m["subject"], m.keys())
print(type(vars(enum.Enum)["__new__"]).__name__, type(enum.Enum.__new__).__name__)
