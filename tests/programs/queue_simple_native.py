import _queue, queue, threading
q=_queue.SimpleQueue(); print(q.__class__, _queue.Empty, _queue.Empty.__mro__)
for f in [lambda: q.get(timeout=-1), lambda: q.get(False), lambda: q.get(timeout=0.01), lambda: q.get_nowait(), lambda: q.get(1,2,3), lambda: _queue.SimpleQueue(1), lambda: q.put(), lambda: q.get(timeout="x")]:
  try: print(f())
  except Exception as e: print(type(e).__name__, repr(e))
q.put(1); q.put(2, False, 5); q.put_nowait(3); print(q.qsize(), q.empty(), q.get(), q.get(True, 1), q.get(block=False)); print(q.empty())
print(queue.SimpleQueue is _queue.SimpleQueue, queue.Empty is _queue.Empty)
sq = queue.SimpleQueue()
def prod(k):
    for i in range(1000): sq.put((k, i))
ts=[threading.Thread(target=prod, args=(k,)) for k in range(4)]
for t in ts: t.start()
got=[sq.get(timeout=5) for _ in range(4000)]
for t in ts: t.join()
print(len(got), sorted(got)==sorted((k,i) for k in range(4) for i in range(1000)), sq.empty())
class Sub(_queue.SimpleQueue): pass
s=Sub(); s.put(5); print(s.get(), isinstance(s, _queue.SimpleQueue))
