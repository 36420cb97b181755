# Gap: the re module.
import re
print(re.findall(r"\d+", "a1b22c333"), re.sub(r"\s+", " ", "a   b \t c"), bool(re.match(r"^h", "hi")))
