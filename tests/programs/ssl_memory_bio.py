# A TLS client and server in one process, talking through two pairs of MemoryBIOs
# (as asyncio's sslproto drives them): handshake, data both ways, peer certificates,
# close_notify, errors of a failed verification and of misuse.
import os
import ssl

HERE = os.path.dirname(os.path.abspath(__file__))
CERT = os.path.join(HERE, "data", "ssl_test_cert.pem")
KEY = os.path.join(HERE, "data", "ssl_test_key.pem")


def pair(client_ctx, server_ctx, hostname="localhost"):
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=hostname)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)

    def pump():
        moved = c_out.pending + s_out.pending
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        return moved

    return client, server, pump


def handshake(client, server, pump):
    done = set()
    for _ in range(10):
        for name, obj in (("client", client), ("server", server)):
            if name in done:
                continue
            try:
                obj.do_handshake()
                done.add(name)
                print(name, "handshake done")
            except ssl.SSLWantReadError:
                print(name, "wants to read")
        if len(done) == 2:
            return
        pump()


server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_ctx.load_cert_chain(CERT, KEY)

# 1. An unverified client (what the asyncio_tcp_ssl benchmark does).
client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client_ctx.check_hostname = False
client_ctx.verify_mode = ssl.CERT_NONE
client, server, pump = pair(client_ctx, server_ctx)
print(client.server_side, server.server_side, client.server_hostname, server.server_hostname)
try:
    client.getpeercert()
except ValueError as e:
    print("ValueError", e)
print(client.version(), client.cipher())
handshake(client, server, pump)
print(client.version(), server.version())
print(client.cipher() == server.cipher(), client.cipher()[1:])
print(client.getpeercert(), server.getpeercert())
print(len(client.getpeercert(True)) > 100, client.selected_alpn_protocol())

client.write(b"hello " * 5000)
pump()
got = b""
while True:
    try:
        got += server.read(65536)
    except ssl.SSLWantReadError:
        break
print(len(got), got[:12])
server.write(b"pong")
pump()
print(client.pending() >= 0, client.read(2), client.read(100))
try:
    client.read(10)
except ssl.SSLWantReadError as e:
    print(type(e).__name__, e.errno)

# unwrap: client sends close_notify first and waits for the server's.
try:
    client.unwrap()
except ssl.SSLWantReadError:
    print("client unwrap wants to read")
pump()
print("server unwrap", server.unwrap())
pump()
print("client unwrap", client.unwrap())
print(pump())

# 2. A verifying client with the server's certificate as its CA.
vctx = ssl.create_default_context(cafile=CERT)
print(vctx.verify_mode, vctx.check_hostname, vctx.cert_store_stats())
client, server, pump = pair(vctx, server_ctx)
handshake(client, server, pump)
cert = client.getpeercert()
print(sorted(cert))
print(cert["subject"], cert["issuer"] == cert["subject"])
print(cert["subjectAltName"], cert["version"])

# 3. A verifying client without the CA: the handshake fails.
bad = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client, server, pump = pair(bad, server_ctx)
try:
    handshake(client, server, pump)
except ssl.SSLCertVerificationError as e:
    print(type(e).__name__, isinstance(e, ValueError), e.reason, e.library)

# 4. Misuse.
try:
    client_ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_side=True)
except ssl.SSLError as e:
    print(type(e).__name__)
try:
    client_ctx.verify_mode = ssl.CERT_NONE
    vctx.verify_mode = ssl.CERT_NONE
except ValueError as e:
    print("ValueError", e)
bio = ssl.MemoryBIO()
bio.write(b"abc")
bio.write_eof()
print(bio.pending, bio.eof, bio.read(2), bio.eof, bio.read(), bio.eof)
try:
    bio.write(b"x")
except ssl.SSLError as e:
    print(type(e).__name__)
try:
    server_ctx.load_cert_chain(os.path.join(HERE, "data", "no_such_file.pem"))
except OSError as e:
    print(type(e).__name__, e.errno)
print(ssl.SSLError.__mro__[1:3], ssl.SSLEOFError.__mro__[1].__name__)
print(str(ssl.SSLError(1, "some text")), ssl.Purpose.SERVER_AUTH.nid)
print(len(ssl.RAND_bytes(16)), ssl.RAND_status())
