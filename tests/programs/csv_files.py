import csv, os
p = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'stitch_csv_%d.csv' % os.getpid())
try:
    with open(p, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['id', 'text'])
        w.writerow([1, 'line one\nline two'])
        w.writerow([2, 'comma, "quote"'])
    with open(p, newline='') as f:
        print(repr(f.read()))
    with open(p, newline='') as f:
        r = csv.reader(f)
        for row in r: print(r.line_num, row)
    with open(p, newline='') as f:
        for d in csv.DictReader(f): print(d)
finally:
    os.remove(p)
import io
print(list(csv.reader(io.StringIO('a,b\r\nc,d\r\n'))))
print(list(csv.DictReader(io.StringIO('a,b\n1\n1,2,3\n'), restkey='rest', restval='?')))
print(csv.Sniffer().sniff('"a","b"\n"1","2"\n').quotechar)
