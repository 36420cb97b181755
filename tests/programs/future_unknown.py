"""Docstring first."""
from __future__ import annotations
from __future__ import generator_stop, spam
print("never")
