import binascii
import base64
print(base64.b64encode(b"stitch!"), base64.b64decode(b"c3RpdGNoIQ=="), base64.urlsafe_b64encode(b"\xfb\xff"))
print(base64.b32encode(b"stitch"), base64.b32decode(b"ON2GS5DDNA======"), base64.b16encode(b"\x01\xab"))
print(base64.a85encode(b"stitch runs python"), base64.b85encode(b"stitch"), base64.b85decode(base64.b85encode(b"stitch")))
print(base64.standard_b64decode("c3RpdGNo"), base64.b64decode(b"c3Rp dGNo"), base64.b64encode(b"x", altchars=b"-_"))
try:
    base64.b64decode(b"c3Rp dGNo", validate=True)
except binascii.Error as e:
    print("binascii.Error", e)
import quopri
print(quopri.encodestring(b"caf\xc3\xa9 = ok\n"), quopri.decodestring(b"caf=C3=A9 =3D ok\n"))
