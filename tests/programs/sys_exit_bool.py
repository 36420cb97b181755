# sys.exit with a bool: an int status (False is 0, True is 1), nothing printed; other
# objects are printed to stderr with status 1.
import subprocess
import sys

for code in ("False", "True", "0", "3", "'message'", "None"):
    r = subprocess.run([sys.executable, "-c", f"import sys; sys.exit({code})"],
                       capture_output=True, text=True)
    print(code, r.returncode, repr(r.stderr.strip()))
