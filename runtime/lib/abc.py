"""Abstract base classes: ABC and abstractmethod (abstract methods are recorded; an
abstract class refuses instantiation like CPython's)."""


def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


class ABC:
    def __new__(cls, *args, **kwargs):
        abstract = []
        for klass in cls.__mro__:
            for name, value in klass.__dict__.items():
                if getattr(value, "__isabstractmethod__", False) and name not in abstract:
                    # Only abstract if not overridden by a subclass.
                    impl = None
                    for k in cls.__mro__:
                        if name in k.__dict__:
                            impl = k.__dict__[name]
                            break
                    if getattr(impl, "__isabstractmethod__", False):
                        abstract.append(name)
        if abstract:
            abstract.sort()
            s = "s" if len(abstract) > 1 else ""
            raise TypeError(f"Can't instantiate abstract class {cls.__name__} with abstract method{s} "
                            + ", ".join(abstract))
        return object.__new__(cls)


class ABCMeta:
    """Placeholder: stitch does not support metaclasses yet (use ABC as a base)."""


def abstractproperty(f):
    return property(abstractmethod(f))


abstractclassmethod = classmethod
abstractstaticmethod = staticmethod
