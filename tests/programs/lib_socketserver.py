# stitch: cyclic
import socketserver, threading, socket, selectors

class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(b"echo: " + line)

with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo) as srv:
    port = srv.server_address[1]
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    t.start()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        f = c.makefile("rwb")
        for w in [b"one\n", b"two\n", b"three\n"]:
            f.write(w); f.flush()
            print(f.readline())
        f.close()
    srv.shutdown()
    t.join()

class UDPH(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data[::-1], self.client_address)

with socketserver.UDPServer(("127.0.0.1", 0), UDPH) as us:
    t = threading.Thread(target=us.handle_request)
    t.start()
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.settimeout(5)
    c.sendto(b"abcdef", us.server_address)
    print(c.recvfrom(100)[0])
    c.close()
    t.join()

sel = selectors.DefaultSelector()
a, b = socket.socketpair()
sel.register(a, selectors.EVENT_READ, data="a")
print(sel.select(timeout=0))
b.send(b"ping")
for key, ev in sel.select(timeout=1):
    print(key.data, ev == selectors.EVENT_READ, key.fileobj.recv(10))
sel.unregister(a)
sel.close()
a.close(); b.close()
print(type(sel).__name__ in ("EpollSelector", "PollSelector"))
