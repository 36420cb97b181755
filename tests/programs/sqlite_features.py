import sqlite3, datetime, threading, os
c = sqlite3.connect(':memory:')
# functions
c.create_function('dbl', 1, lambda x: x * 2)
c.create_function('boom', 0, lambda: 1 / 0)
c.create_function('kind', 1, lambda x: type(x).__name__, deterministic=True)
print(c.execute('select dbl(21), dbl(1.5), dbl("ab"), kind(null), kind(x\'00\')').fetchone())
try: c.execute('select boom()').fetchone()
except sqlite3.OperationalError as e: print('OE', e)
class Sum:
    def __init__(self): self.n = 0
    def step(self, v): self.n += v
    def finalize(self): return self.n
class Bad:
    def step(self, v): raise ValueError
    def finalize(self): return 0
c.create_aggregate('mysum', 1, Sum)
c.create_aggregate('bad', 1, Bad)
c.execute('create table n(x, g)')
c.executemany('insert into n values (?, ?)', [(i, i % 2) for i in range(10)])
print(c.execute('select g, mysum(x) from n group by g').fetchall())
print(c.execute('select mysum(x) from n where x > 100').fetchall())
try: c.execute('select bad(x) from n').fetchall()
except sqlite3.OperationalError as e: print('OE', e)
c.create_collation('rev', lambda a, b: (a < b) - (a > b))
c.execute('create table w(s)'); c.executemany('insert into w values (?)', [('b',), ('a',), ('c',)])
print(c.execute('select s from w order by s collate rev').fetchall())
c.create_collation('rev', None)
try: c.execute('select s from w order by s collate rev').fetchall()
except sqlite3.OperationalError as e: print('OE', e)
try: c.create_collation('x', 5)
except TypeError as e: print('TE', e)
c.commit()
# transactions
print(c.in_transaction)
c.execute('insert into w values ("d")'); print(c.in_transaction)
c.rollback(); print(c.in_transaction, c.execute('select count(*) from w').fetchone())
with c:
    c.execute('insert into w values ("e")')
print(c.in_transaction, c.execute('select count(*) from w').fetchone())
try:
    with c:
        c.execute('insert into w values ("f")')
        raise KeyError('x')
except KeyError: pass
print(c.execute('select count(*) from w').fetchone())
c.isolation_level = None; c.execute('insert into w values ("g")'); print(c.in_transaction, repr(c.isolation_level))
c.isolation_level = 'immediate'; print(repr(c.isolation_level))
c.executescript('create table z(a); insert into z values (1); insert into z values (2);')
print(c.execute('select * from z').fetchall())
try: c.executescript('insert into z values (3); bogus;')
except sqlite3.OperationalError as e: print('OE', e)
# adapters / converters
class P:
    def __init__(self, x, y): self.x, self.y = x, y
    def __repr__(self): return 'P(%r, %r)' % (self.x, self.y)
sqlite3.register_adapter(P, lambda p: '%s;%s' % (p.x, p.y))
sqlite3.register_converter('point', lambda b: P(*map(float, b.split(b';'))))
d = sqlite3.connect(':memory:', detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
d.execute('create table p(pt point, day date, ts timestamp)')
d.execute('insert into p values (?, ?, ?)', (P(1, 2), datetime.date(2020, 1, 2), datetime.datetime(2021, 3, 4, 5, 6, 7, 8)))
print(d.execute('select * from p').fetchone())
cur = d.execute('select pt as "pt [point]", pt from p'); print(cur.fetchone(), cur.description)
class Q:
    def __conform__(self, proto):
        if proto is sqlite3.PrepareProtocol: return 'conformed'
print(d.execute('select ?', (Q(),)).fetchone())
print(sqlite3.adapt(P(3, 4)))
try: sqlite3.adapt(object())
except sqlite3.ProgrammingError as e: print('PE', e)
# iterdump
for line in c.iterdump(): print(line)
# rows as dict
c.row_factory = sqlite3.Row
r = c.execute('select 1 as one, 2 as two').fetchone(); print(dict(r), list(r), r.keys())
c.row_factory = lambda cur, row: {d[0]: v for d, v in zip(cur.description, row)}
print(c.execute('select 1 as one, 2 as two').fetchone())
# threads
e = sqlite3.connect(':memory:')
res = []
def worker():
    try: e.execute('select 1')
    except sqlite3.ProgrammingError as ex: res.append(str(ex).split('.')[0])
th = threading.Thread(target=worker); th.start(); th.join(); print(res)
f = sqlite3.connect(':memory:', check_same_thread=False)
f.execute('create table a(x)')
def w2(k):
    for i in range(50): f.execute('insert into a values (?)', (k,))
ths = [threading.Thread(target=w2, args=(k,)) for k in range(4)]
for x in ths: x.start()
for x in ths: x.join()
print(f.execute('select count(*), sum(x) from a').fetchone())
# files
tmp = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'stitch_sqlite_%d' % os.getpid())
os.mkdir(tmp)
try:
    p = os.path.join(tmp, 'db.sqlite')
    g = sqlite3.connect(p); g.execute('create table k(v)'); g.execute('insert into k values (42)'); g.commit(); g.close()
    g = sqlite3.connect(p); print(g.execute('select * from k').fetchall()); g.close()
    try: sqlite3.connect(os.path.join(tmp, 'no', 'such', 'dir.db'))
    except sqlite3.OperationalError as ex: print('OE', ex)
finally:
    if os.path.exists(os.path.join(tmp, 'db.sqlite')): os.remove(os.path.join(tmp, 'db.sqlite'))
    os.rmdir(tmp)
print(issubclass(sqlite3.IntegrityError, sqlite3.DatabaseError), issubclass(sqlite3.DatabaseError, sqlite3.Error), issubclass(sqlite3.InterfaceError, sqlite3.Error), issubclass(sqlite3.Warning, Exception))
print(c.Error is sqlite3.Error, c.IntegrityError is sqlite3.IntegrityError, sqlite3.paramstyle, sqlite3.apilevel, sqlite3.threadsafety)
print(sqlite3.IntegrityError.__module__, sqlite3.Connection.__name__, sqlite3.Cursor.__module__)
