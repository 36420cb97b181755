import zipfile, io
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.txt", "hello " * 100)
with zipfile.ZipFile(io.BytesIO(b.getvalue())) as z:
    print(z.namelist(), z.read("a.txt")[:12])
