counter = 0
history = []
def incr(by=1):
    global counter
    counter += by
    history.append(counter)
for i in range(5):
    incr(i)
print(counter, history)
def reset():
    global counter, history
    counter, history = 0, []
reset()
print(counter, history)
def read_only():
    return counter + len(history)
print(read_only())
CONFIG = {"debug": False}
def set_debug():
    CONFIG["debug"] = True
set_debug()
print(CONFIG)
def make_global():
    global created_later
    created_later = "now exists"
make_global()
print(created_later)
print("counter" in globals(), globals()["CONFIG"] is CONFIG)
