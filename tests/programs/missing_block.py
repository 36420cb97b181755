# IndentationError for a clause with no indented body: CPython names the clause and its line.
for s in ['if 1:\nfoo()', 'for x in y:\n\n# c\nfoo()', 'class A:\npass', 'def f():\npass', 'try:\npass', 'try:\n  pass\nexcept:\npass', 'try:\n  pass\nexcept* E:\npass','while 1:\npass','with a:\npass','if 1:\n  pass\nelif 2:\npass','if 1:\n  pass\nelse:\npass', 'try:\n  pass\nfinally:\npass', 'match x:\n case 1:\n pass', 'if 1:', 'async def f():\nreturn']:
  try: compile(s,'s','exec')
  except SyntaxError as e: print(type(e).__name__, e.msg, e.lineno)
