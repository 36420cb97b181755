# Gap: pathlib.
from pathlib import Path
print(Path("a/b/c.txt").suffix, Path("a") / "b")
