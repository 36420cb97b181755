"""A test package."""
from .geometry import area, PI_ISH
VERSION = "1.0"
print("shapes_pkg initialised")
