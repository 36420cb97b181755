# sysconfig reads the build-time variables from the module named after
# sys.implementation._multiarch (pydoc, test.support and others need them).
import sys
import sysconfig

print(sys.implementation._multiarch)
name = sysconfig._get_sysconfigdata_name()
print(name.startswith("_sysconfigdata_"), name.endswith(sys.implementation._multiarch))
cv = sysconfig.get_config_vars()
print(isinstance(cv, dict), len(cv) > 100)
print(sysconfig.get_config_var("EXT_SUFFIX"))
print(sysconfig.get_config_var("SOABI"))
print(isinstance(sysconfig.get_path("stdlib"), str))
import pydoc  # computes a default argument from sysconfig.get_path at import

print(pydoc.__name__)
