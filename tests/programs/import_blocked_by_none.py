# A None entry in sys.modules blocks an import (test.support.import_helper's
# `blocked=`): ModuleNotFoundError, also for `from m import *` and submodules.
import sys

sys.modules["json"] = None
for stmt in ["import json", "from json import *", "from json import loads", "import json.decoder"]:
    try:
        exec(stmt, {})
    except ModuleNotFoundError as e:
        print(stmt, "->", e, e.name)
del sys.modules["json"]
import json

print(json.dumps([1]))
# datetime runs its pure-Python classes when the accelerator is blocked.
sys.modules["_datetime"] = None
sys.modules.pop("datetime", None)
import datetime

print(datetime.date(2024, 2, 29) + datetime.timedelta(days=1))
print(datetime.datetime(2020, 1, 2, 3, 4, 5).isoformat())
print(datetime.datetime.strptime("2021-03-04", "%Y-%m-%d"))
print(datetime.date.__module__, repr(datetime.timezone.utc))
