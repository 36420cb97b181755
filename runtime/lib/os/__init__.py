"""A small part of os: environ, getpid, getcwd, sep, path."""
import _os
from . import path

name = "posix"
sep = "/"
linesep = "\n"
curdir = "."
pardir = ".."
environ = _os.environ()


def getpid():
    return _os.getpid()


def getcwd():
    return _os.getcwd()


def getenv(key, default=None):
    return environ.get(key, default)


def listdir(p="."):
    return _os.listdir(p)


def cpu_count():
    return _os.cpu_count()
