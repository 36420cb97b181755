# pathlib and os file-system calls in a scratch directory next to the script.
import os
from pathlib import Path, PurePath, PurePosixPath
p = PurePath("a/b/c.tar.gz")
print(p, repr(p), p.name, p.suffix, p.suffixes, p.stem, p.parent, list(map(str, p.parents)), p.parts)
print(Path("a") / "b", "x" / Path("y"), Path("/usr") / "/etc", Path("a//b/./c"), Path(), Path("/"), Path("/").parent, Path("").name)
print(p.with_name("d.txt"), p.with_suffix(".zip"), p.with_stem("z"), p.is_absolute(), Path("/a/b").relative_to("/a"), p.match("*.gz"), p.match("b/*.gz"), p.match("/b/*.gz"))
print(Path("a") == Path("a/"), Path("a") < Path("b"), sorted([Path("b"), Path("a/c"), Path("a")]), hash(Path("q")) == hash(Path("q")), str(Path("~").expanduser()) != "~")
print(os.fspath(Path("f")), os.path.join(Path("d"), "e"), isinstance(Path("x"), os.PathLike), PurePosixPath("/x").root)
try:
    Path("/a").relative_to("/b")
except ValueError as e:
    print("ValueError:", e)
here = Path(__file__).parent
work = here / "_pathlib_scratch"
if work.exists():
    for dirpath, dirs, files in sorted(os.walk(work, topdown=False)):
        for f in files:
            os.remove(os.path.join(dirpath, f))
        os.rmdir(dirpath)
(work / "sub" / "deep").mkdir(parents=True)
(work / "one.txt").write_text("hello\n")
(work / "two.py").write_text("x = 1\n")
(work / "sub" / "three.txt").write_text("three")
print((work / "one.txt").read_text(), end="")
print(sorted(p.name for p in work.iterdir()), sorted(str(p.relative_to(work)) for p in work.glob("*.txt")))
print(sorted(str(p.relative_to(work)) for p in work.rglob("*.txt")), (work / "one.txt").is_file(), (work / "sub").is_dir())
print((work / "one.txt").stat().st_size, os.path.getsize(work / "two.py"), os.stat(work / "sub" / "three.txt").st_size)
print([(os.path.relpath(d, work) if hasattr(os.path, "relpath") else d.replace(str(work), "W"), sorted(ds), sorted(fs)) for d, ds, fs in os.walk(work)])
(work / "one.txt").rename(work / "uno.txt")
print(sorted(e.name for e in os.scandir(work)), (work / "uno.txt").exists(), (work / "one.txt").exists())
try:
    (work / "sub").mkdir()
except FileExistsError as e:
    print("FileExistsError:", str(e).replace(str(work), "W"))
try:
    (work / "missing.txt").read_text()
except FileNotFoundError as e:
    print("FileNotFoundError:", str(e).replace(str(work), "W"))
(work / "missing.txt").unlink(missing_ok=True)
(work / "sub").mkdir(exist_ok=True)
for dirpath, dirs, files in os.walk(work, topdown=False):
    for f in files:
        os.remove(os.path.join(dirpath, f))
    os.rmdir(dirpath)
print(work.exists(), len(os.urandom(8)))
