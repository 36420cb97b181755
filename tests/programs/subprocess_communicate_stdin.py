# communicate() with stdin and stdout pipes to a child that reads stdin to EOF: the
# exec-error pipe must not leak into the child, or Popen() waits for the child to end.
import subprocess
import sys

p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
out, err = p.communicate(b"a\xffb\n", timeout=20)
print(out, err, p.returncode)
p = subprocess.Popen(["ls", "/proc/self/fd"], stdout=subprocess.PIPE)
fds = sorted(int(x) for x in p.communicate(timeout=20)[0].split())
print("fds above 3:", [fd for fd in fds if fd > 3])
