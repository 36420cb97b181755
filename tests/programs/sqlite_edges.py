import sqlite3
c = sqlite3.connect(':memory:')
print(c.Error is sqlite3.Error, type(sqlite3.Connection.__dict__['Error']).__name__ != 'type')
# subclassing
class MyCursor(sqlite3.Cursor):
    def first(self, sql):
        return self.execute(sql).fetchone()
cur = c.cursor(MyCursor)
print(type(cur).__name__, cur.first('select 40 + 2'), cur.connection is c)
class MyConn(sqlite3.Connection):
    pass
mc = sqlite3.connect(':memory:', factory=MyConn)
print(type(mc).__name__, mc.execute('select 1').fetchall())
try: c.cursor(lambda conn: 5)
except TypeError as e: print('TE', e)
# recursion guard
c.execute('create table r(x)'); c.executemany('insert into r values (?)', [(1,), (2,)])
cu = c.cursor()
def f(x):
    try:
        cu.execute('select 1')
    except sqlite3.ProgrammingError as e:
        print('PE', e)
    return x
c.create_function('f', 1, f)
print(cu.execute('select f(x) from r').fetchall())
# big ints, floats, unicode
print(c.execute('select ?, ?, ?', (2**63 - 1, -2**63, 1e308)).fetchone())
print(c.execute("select 'ünïcödé ☃', length('☃')").fetchone())
print(c.execute('select 9223372036854775807 + 1').fetchone())
# lastrowid & rowcount
c.execute('create table q(id integer primary key, v)')
cu = c.execute('insert into q(v) values (?)', ('a',)); print(cu.lastrowid, cu.rowcount)
cu = c.execute('delete from q'); print(cu.rowcount)
cu = c.execute('select * from q'); print(cu.rowcount, cu.fetchall(), cu.description)
print(c.execute('  UPDATE q SET v = 1').rowcount)
# named params from a mapping subclass
class M(dict):
    def __missing__(self, k): return k.upper()
print(c.execute('select :a, :b', M(a=1)).fetchone())
print(c.execute('select ?1, ?2, ?1', (5, 6)).fetchone())
print(c.execute('select $x, @y', {'x': 1, 'y': 2}).fetchone())
try: c.execute('select \x00')
except Exception as e: print(type(e).__name__, e)
try: c.execute('select ?', ({},))
except sqlite3.ProgrammingError as e: print('PE', e)
try: c.execute('select :a', {'a': object()})
except sqlite3.ProgrammingError as e: print('PE', e)
print(c.execute('select x\'616263\'').fetchone())
print(sqlite3.complete_statement('create table t(a'), sqlite3.complete_statement("select 'a;';"))
c.execute('create table u(a unique)')
c.execute('insert into u values (1)')
try: c.execute('insert into u values (1)')
except sqlite3.IntegrityError as e: print(e, e.sqlite_errorcode, e.sqlite_errorname)
try: c.execute('insert into nothere values (1)')
except sqlite3.OperationalError as e: print(e, e.sqlite_errorcode, e.sqlite_errorname)
print(c.total_changes)
cur = c.cursor(); print(iter(cur) is cur, cur.fetchone(), cur.fetchall())
cur.arraysize = 3; print(cur.execute('select 1 union all select 2 union all select 3 union all select 4').fetchmany())
print(cur.fetchmany(size=5))
c.close(); c.close()
try: c.in_transaction
except sqlite3.ProgrammingError as e: print('PE', e)
try: c.isolation_level
except sqlite3.ProgrammingError as e: print('PE', e)
print(c.row_factory, c.text_factory)
