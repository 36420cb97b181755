# termios on a pseudo-terminal: attribute round trips, tty.setraw, window sizes,
# and the errors CPython raises (termios.error with errno, TypeErrors).
import os
import termios
import tty

print(termios.error.__mro__[1:], termios.error.__module__)
print(termios.NCCS, termios.ICANON, termios.ECHO, termios.TCSANOW, termios.B38400)
print(len([n for n in dir(termios) if n.isupper()]))

master, slave = os.openpty()
attrs = termios.tcgetattr(slave)
print(len(attrs), all(isinstance(x, int) for x in attrs[:6]), len(attrs[6]))
print(all(isinstance(c, bytes) and len(c) == 1 for c in attrs[6]))
print(bool(attrs[3] & termios.ICANON))

# Round trip: switch echo off, read back, switch on.
new = termios.tcgetattr(slave)
new[3] &= ~termios.ECHO
termios.tcsetattr(slave, termios.TCSANOW, new)
print(termios.tcgetattr(slave)[3] & termios.ECHO)
termios.tcsetattr(slave, termios.TCSADRAIN, attrs)
print(termios.tcgetattr(slave) == attrs)

# Speeds.
sp = termios.tcgetattr(slave)
sp[4] = sp[5] = termios.B9600
termios.tcsetattr(slave, termios.TCSANOW, sp)
print(termios.tcgetattr(slave)[4:6] == [termios.B9600, termios.B9600])

# tty.setraw: ICANON off, so VMIN/VTIME come back as ints.
tty.setraw(slave)
raw = termios.tcgetattr(slave)
print(bool(raw[3] & termios.ICANON), raw[6][termios.VMIN], raw[6][termios.VTIME])
print(type(raw[6][termios.VINTR]))
termios.tcsetattr(slave, termios.TCSAFLUSH, attrs)
tty.setcbreak(slave)
print(bool(termios.tcgetattr(slave)[3] & termios.ECHO))
termios.tcsetattr(slave, termios.TCSANOW, attrs)

# Objects with fileno().
class F:
    def fileno(self):
        return slave
print(termios.tcgetattr(F()) == attrs)

# Window size.
termios.tcsetwinsize(slave, (24, 80))
print(termios.tcgetwinsize(slave))
termios.tcsetwinsize(master, [50, 132])
print(termios.tcgetwinsize(slave))

termios.tcdrain(slave)
termios.tcflush(slave, termios.TCIOFLUSH)
termios.tcflow(slave, termios.TCOON)
termios.tcsendbreak(master, 0)

def err(f, *a):
    try:
        f(*a)
    except Exception as e:
        print(type(e).__name__, e.args)

r, w = os.pipe()
err(termios.tcgetattr, r)
err(termios.tcsetattr, r, termios.TCSANOW, attrs)
err(termios.tcgetwinsize, r)
err(termios.tcdrain, r)
err(termios.tcgetattr, -1)
err(termios.tcgetattr, "x")
err(termios.tcgetattr)
err(termios.tcsetattr, slave, 0)
err(termios.tcsetattr, slave, 0, (1, 2))
err(termios.tcsetattr, slave, 0, attrs[:6] + [[]])
err(termios.tcsetattr, slave, 0, attrs[:6] + [[1.5] * termios.NCCS])
err(termios.tcsetattr, slave, 0, ["a"] + attrs[1:])
err(termios.tcsetwinsize, slave, 5)
err(termios.tcsetwinsize, slave, (1, 2, 3))
err(termios.tcsetwinsize, slave, (1, 70000))
err(termios.tcsetwinsize, slave, {0: 1, 1: 2})
try:
    termios.tcgetattr(r)
except termios.error as e:
    print("caught", isinstance(e, OSError), e.args[0] == __import__("errno").ENOTTY)
for fd in (r, w, master, slave):
    os.close(fd)
err(termios.tcgetattr, slave)
