# csv: reader/writer quoting, dialects, DictReader/DictWriter.
import csv, io
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["a", "b,c", 'd"e', "", None, 1, 2.5, "line\nbreak", " sp"])
w.writerows([[1, 2], [""], []])
print(repr(buf.getvalue()))
rows = list(csv.reader(io.StringIO(buf.getvalue())))
print(rows)
print(list(csv.reader(io.StringIO('x,"y,z"\n1,2\n\n"q""uote",end\n'))))
print(list(csv.reader(['a;b;"c;d"'], delimiter=";")), list(csv.reader(["a, b,  c"], skipinitialspace=True)))
print(list(csv.reader(io.StringIO("a\tb\n"), dialect="excel-tab")))
b2 = io.StringIO()
csv.writer(b2, quoting=csv.QUOTE_ALL).writerow([1, "x", None])
csv.writer(b2, quoting=csv.QUOTE_NONNUMERIC).writerow([1, "x", 2.0, True])
csv.writer(b2, dialect="unix").writerow(["u", 1])
csv.writer(b2, delimiter="|", lineterminator="\n").writerow(["p|q", "r"])
print(repr(b2.getvalue()))
print(list(csv.reader(['1,"x",2.5'], quoting=csv.QUOTE_NONNUMERIC)))
src = io.StringIO("name,age\nann,30\nbob,25,extra\ncy\n")
dr = csv.DictReader(src)
print(dr.fieldnames, [dict(r) for r in dr], dr.line_num)
out = io.StringIO()
dw = csv.DictWriter(out, fieldnames=["k", "v"], lineterminator="\n")
dw.writeheader()
dw.writerow({"k": "a", "v": 1})
dw.writerows([{"k": "b"}, {"v": "only"}])
print(repr(out.getvalue()))
try:
    dw.writerow({"zz": 1})
except ValueError as e:
    print("ValueError:", e)
csv.register_dialect("pipes", delimiter="|")
print(list(csv.reader(["1|2|3"], "pipes")), "pipes" in csv.list_dialects())
try:
    csv.get_dialect("nope")
except csv.Error as e:
    print("Error:", e)
try:
    list(csv.reader(['"unterminated'], strict=True))
except csv.Error as e:
    print("Error:", e)
print(list(csv.reader(['a,"multi', 'line",b'])))
