# Gap: csv.
import csv, io
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["a", "b,c", 'd"e'])
print(buf.getvalue(), end="")
print(list(csv.reader(io.StringIO('x,"y,z"\n1,2\n'))))
