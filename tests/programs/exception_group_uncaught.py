# An uncaught exception group leaving except* handlers.
def work():
    raise ExceptionGroup("work failed", [ValueError("bad value"), TypeError("bad type"), KeyError("k")])


print("start")
try:
    work()
except* ValueError as e:
    e.add_note("while handling values")
    raise RuntimeError("handler failed")
except* KeyError:
    pass
