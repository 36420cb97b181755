# Gap: datetime.
import datetime
d = datetime.date(2024, 2, 29)
print(d + datetime.timedelta(days=1), d.isoformat(), d.weekday())
