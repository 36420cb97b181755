VALUE = 1
loaded = globals().get("loaded", 0) + 1
