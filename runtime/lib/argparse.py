"""argparse: command-line parsing with ArgumentParser (positionals, options, nargs,
type, choices, default, required, dest, metavar, the store/const/true/false/append/
count/help/version actions, mutually exclusive groups, argument groups, subparsers),
help and usage in CPython's format, and errors that exit 2 as CPython's do."""
import os as _os
import sys as _sys

__all__ = ["ArgumentParser", "Namespace", "Action", "ArgumentError", "ArgumentTypeError",
           "FileType", "HelpFormatter", "RawDescriptionHelpFormatter",
           "RawTextHelpFormatter", "ArgumentDefaultsHelpFormatter", "SUPPRESS", "OPTIONAL",
           "ZERO_OR_MORE", "ONE_OR_MORE", "REMAINDER", "PARSER", "BooleanOptionalAction"]

SUPPRESS = "==SUPPRESS=="
_DASHDASH = object()  # where "--" stood among the positional strings
OPTIONAL = "?"
ZERO_OR_MORE = "*"
ONE_OR_MORE = "+"
PARSER = "A..."
REMAINDER = "..."


class Namespace:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"Namespace({args})"

    def __eq__(self, other):
        if not isinstance(other, Namespace):
            return NotImplemented
        return vars(self) == vars(other)

    def __contains__(self, key):
        return key in self.__dict__


class ArgumentError(Exception):
    def __init__(self, argument, message):
        self.argument_name = _arg_name(argument)
        self.message = message

    def __str__(self):
        if self.argument_name is None:
            return self.message
        return f"argument {self.argument_name}: {self.message}"


class ArgumentTypeError(Exception):
    pass


def _arg_name(action):
    if action is None:
        return None
    if action.option_strings:
        return "/".join(action.option_strings)
    if action.metavar not in (None, SUPPRESS):
        return action.metavar if isinstance(action.metavar, str) else action.metavar[0]
    if action.dest not in (None, SUPPRESS):
        return action.dest
    return None


class Action:
    def __init__(self, option_strings, dest, nargs=None, const=None, default=None, type=None,
                 choices=None, required=False, help=None, metavar=None):
        self.option_strings = option_strings
        self.dest = dest
        self.nargs = nargs
        self.const = const
        self.default = default
        self.type = type
        self.choices = choices
        self.required = required
        self.help = help
        self.metavar = metavar

    def __call__(self, parser, namespace, values, option_string=None):
        raise NotImplementedError(".__call__() not defined")


class _StoreAction(Action):
    def __init__(self, option_strings, dest, nargs=None, **kw):
        if nargs == 0:
            raise ValueError("nargs for store actions must be != 0; if you have nothing to "
                             "store, actions such as store true or store const may be more "
                             "appropriate")
        super().__init__(option_strings, dest, nargs=nargs, **kw)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, values)


class _StoreConstAction(Action):
    def __init__(self, option_strings, dest, const=None, default=None, required=False,
                 help=None, metavar=None):
        super().__init__(option_strings, dest, nargs=0, const=const, default=default,
                         required=required, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, self.const)


class _StoreTrueAction(_StoreConstAction):
    def __init__(self, option_strings, dest, default=False, required=False, help=None):
        super().__init__(option_strings, dest, const=True, default=default,
                         required=required, help=help)


class _StoreFalseAction(_StoreConstAction):
    def __init__(self, option_strings, dest, default=True, required=False, help=None):
        super().__init__(option_strings, dest, const=False, default=default,
                         required=required, help=help)


class _AppendAction(Action):
    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        items.append(values)
        setattr(namespace, self.dest, items)


class _AppendConstAction(Action):
    def __init__(self, option_strings, dest, const=None, default=None, required=False,
                 help=None, metavar=None):
        super().__init__(option_strings, dest, nargs=0, const=const, default=default,
                         required=required, help=help, metavar=metavar)

    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        items.append(self.const)
        setattr(namespace, self.dest, items)


class _ExtendAction(_AppendAction):
    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        items.extend(values)
        setattr(namespace, self.dest, items)


class _CountAction(Action):
    def __init__(self, option_strings, dest, default=None, required=False, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, required=required,
                         help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        count = getattr(namespace, self.dest, None)
        setattr(namespace, self.dest, (count or 0) + 1)


class _HelpAction(Action):
    def __init__(self, option_strings, dest=SUPPRESS, default=SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.print_help()
        parser.exit()


class _VersionAction(Action):
    def __init__(self, option_strings, version=None, dest=SUPPRESS, default=SUPPRESS,
                 help="show program's version number and exit"):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)
        self.version = version

    def __call__(self, parser, namespace, values, option_string=None):
        version = self.version if self.version is not None else parser.version
        _sys.stdout.write(version.replace("%(prog)s", parser.prog) + "\n")
        parser.exit()


class BooleanOptionalAction(Action):
    def __init__(self, option_strings, dest, default=None, type=None, choices=None,
                 required=False, help=None, metavar=None):
        strings = []
        for s in option_strings:
            strings.append(s)
            if s.startswith("--"):
                strings.append("--no-" + s[2:])
        super().__init__(strings, dest, nargs=0, default=default, required=required,
                         help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        if option_string in self.option_strings:
            setattr(namespace, self.dest, not option_string.startswith("--no-"))

    def format_usage(self):
        return " | ".join(self.option_strings)


class _SubParsersAction(Action):
    def __init__(self, option_strings, prog, parser_class, dest=SUPPRESS, required=False,
                 help=None, metavar=None):
        self._prog_prefix = prog
        self._parser_class = parser_class
        self._name_parser_map = {}
        self._choices_actions = []
        super().__init__(option_strings, dest, nargs=PARSER, choices=self._name_parser_map,
                         required=required, help=help, metavar=metavar)

    def add_parser(self, name, **kwargs):
        if kwargs.get("prog") is None:
            kwargs["prog"] = f"{self._prog_prefix} {name}"
        aliases = kwargs.pop("aliases", ())
        help = kwargs.pop("help", None)
        parser = self._parser_class(**kwargs)
        self._name_parser_map[name] = parser
        for alias in aliases:
            self._name_parser_map[alias] = parser
        if help is not None:
            self._choices_actions.append(Action([], name, help=help, metavar=name))
        return parser

    def __call__(self, parser, namespace, values, option_string=None):
        name, rest = values[0], values[1:]
        if self.dest is not SUPPRESS:
            setattr(namespace, self.dest, name)
        try:
            sub = self._name_parser_map[name]
        except KeyError:
            choices = ", ".join(map(repr, self._name_parser_map))
            raise ArgumentError(self, f"invalid choice: {name!r} (choose from {choices})")
        subns, extras = sub.parse_known_args(rest, None)
        for k, v in vars(subns).items():
            setattr(namespace, k, v)
        if extras:
            namespace.__dict__.setdefault("_UNRECOGNIZED_ARGS", []).extend(extras)


class FileType:
    def __init__(self, mode="r", bufsize=-1, encoding=None, errors=None):
        self._mode = mode
        self._encoding = encoding

    def __call__(self, string):
        if string == "-":
            return _sys.stdin if "r" in self._mode else _sys.stdout
        try:
            return open(string, self._mode, encoding=self._encoding)
        except OSError as e:
            raise ArgumentTypeError(f"can't open '{string}': {e}")


# -- help formatting ----------------------------------------------------------------------

def _wrap(text, width):
    words = text.split()
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


class HelpFormatter:
    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            try:
                width = int(_os.environ.get("COLUMNS", "80"))
            except ValueError:
                width = 80
            width -= 2
        self._prog = prog
        self._indent = indent_increment
        self._width = width
        self._max_help_position = min(max_help_position, max(width - 20, indent_increment * 2))

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))

    def _split_lines(self, text, width):
        return _wrap(text, width)

    def _get_help_string(self, action):
        return action.help

    def _metavar(self, action, default):
        if action.metavar is not None:
            return action.metavar
        if action.choices is not None:
            return "{" + ",".join(map(str, action.choices)) + "}"
        return default

    def _format_args(self, action, default):
        mv = self._metavar(action, default)
        if isinstance(mv, tuple):
            parts = list(mv)
        else:
            n = action.nargs if isinstance(action.nargs, int) else 1
            parts = [mv] * max(n, 1)
        if action.nargs is None:
            return parts[0]
        if action.nargs == OPTIONAL:
            return f"[{parts[0]}]"
        if action.nargs == ZERO_OR_MORE:
            return f"[{parts[0]} ...]"
        if action.nargs == ONE_OR_MORE:
            return f"{parts[0]} [{parts[0]} ...]"
        if action.nargs == REMAINDER:
            return "..."
        if action.nargs == PARSER:
            return f"{parts[0]} ..."
        return " ".join(parts)

    def _invocation(self, action):
        if not action.option_strings:
            mv = self._metavar(action, action.dest)
            return mv[0] if isinstance(mv, tuple) else mv
        if action.nargs == 0:
            return ", ".join(action.option_strings)
        args = self._format_args(action, action.dest.upper())
        return ", ".join(f"{s} {args}" for s in action.option_strings)

    def _usage_part(self, action, in_group=False):
        if not action.option_strings:
            return self._format_args(action, action.dest)
        if isinstance(action, BooleanOptionalAction):
            part = action.format_usage()
        elif action.nargs == 0:
            part = action.option_strings[0]
        else:
            part = f"{action.option_strings[0]} {self._format_args(action, action.dest.upper())}"
        if not action.required and not in_group:
            part = f"[{part}]"
        return part

    def format_usage(self, parser):
        if parser.usage is not None:
            return "usage: " + parser.usage.replace("%(prog)s", self._prog)
        optionals = [a for a in parser._actions if a.option_strings and a.help != SUPPRESS]
        positionals = [a for a in parser._actions if not a.option_strings and a.help != SUPPRESS]
        parts = []
        grouped = set()
        for group in parser._mutually_exclusive_groups:
            members = [a for a in group._group_actions if a.help != SUPPRESS]
            if not members:
                continue
            inner = " | ".join(self._usage_part(a, True) for a in members)
            parts.append((members[0], f"({inner})" if group.required else f"[{inner}]"))
            grouped.update(id(a) for a in members)
        opt_parts = []
        for a in optionals:
            if id(a) in grouped:
                for first, text in parts:
                    if first is a:
                        opt_parts.append(text)
            else:
                opt_parts.append(self._usage_part(a))
        pos_parts = [self._usage_part(a) for a in positionals]
        prefix = "usage: "
        text = " ".join([self._prog] + opt_parts + pos_parts)
        if len(prefix) + len(text) <= self._width:
            return prefix + text
        # Wrap: options and positionals on lines aligned after the program name.
        indent = " " * (len(prefix) + len(self._prog) + 1)
        if len(prefix) + len(self._prog) <= 0.75 * self._width:
            lines = self._lines([self._prog] + opt_parts, self._width, indent, prefix)
            if pos_parts:
                lines += self._lines(pos_parts, self._width, indent, None)
        else:
            indent = " " * len(prefix)
            lines = [self._prog] + self._lines(opt_parts + pos_parts, self._width, indent, None)
        return prefix + "\n".join(lines)

    def _lines(self, parts, width, indent, prefix):
        lines, line, line_len = [], [], (len(prefix) if prefix else len(indent)) - 1
        for part in parts:
            if line_len + 1 + len(part) > width and line:
                lines.append(indent + " ".join(line))
                line, line_len = [], len(indent) - 1
            line.append(part)
            line_len += len(part) + 1
        if line:
            lines.append(indent + " ".join(line))
        if prefix is not None:
            lines[0] = lines[0][len(indent):]
        return lines

    def _action_lines(self, action, help_position, indent=None):
        lines = []
        invocation = self._invocation(action)
        if indent is None:
            indent = self._indent
        action_width = help_position - indent - 2
        help_text = self._get_help_string(action)
        if help_text is not None and "%" in help_text:
            params = dict(vars(action), prog=self._prog)
            for name in list(params):
                if params[name] is SUPPRESS:
                    del params[name]
            if params.get("choices") is not None:
                params["choices"] = ", ".join(map(str, params["choices"]))
            help_text = help_text % params
        if not help_text:
            lines.append(" " * indent + invocation)
        elif len(invocation) <= action_width:
            wrapped = self._split_lines(help_text, self._width - help_position)
            lines.append(" " * indent + invocation.ljust(action_width) + "  " + wrapped[0])
            lines += [" " * help_position + w for w in wrapped[1:]]
        else:
            lines.append(" " * indent + invocation)
            lines += [" " * help_position + w
                      for w in self._split_lines(help_text, self._width - help_position)]
        if isinstance(action, _SubParsersAction):
            for sub in action._choices_actions:
                lines += self._action_lines(sub, help_position, indent + self._indent)
        return lines

    def format_help(self, parser):
        out = [self.format_usage(parser) + "\n"]
        if parser.description:
            out.append(self._format_description(parser.description) + "\n")
        sections = []
        for group in parser._action_groups:
            actions = [a for a in group._group_actions if a.help != SUPPRESS]
            if not actions and not group.description:
                continue
            sections.append((group, actions))
        invocations = []
        for _, actions in sections:
            for a in actions:
                invocations.append(len(self._invocation(a)) + self._indent)
                if isinstance(a, _SubParsersAction):
                    invocations += [len(self._invocation(s)) + 2 * self._indent
                                    for s in a._choices_actions]
        max_len = max(invocations, default=0)
        help_position = min(max_len + 2, self._max_help_position)
        for group, actions in sections:
            block = [f"{group.title}:"]
            if group.description:
                block.append(self._fill_text(group.description, self._width, "  "))
                if actions:
                    block.append("")
            for a in actions:
                block += self._action_lines(a, help_position)
            out.append("\n".join(block) + "\n")
        if parser.epilog:
            out.append(self._format_description(parser.epilog) + "\n")
        return "\n".join(out)

    def _format_description(self, text):
        return self._fill_text(text, self._width, "")


class RawDescriptionHelpFormatter(HelpFormatter):
    def _fill_text(self, text, width, indent):
        return "".join(indent + line for line in text.splitlines(keepends=True))


class RawTextHelpFormatter(RawDescriptionHelpFormatter):
    def _split_lines(self, text, width):
        return text.splitlines()


class ArgumentDefaultsHelpFormatter(HelpFormatter):
    def _get_help_string(self, action):
        help = action.help or ""
        if "%(default)" not in help and action.default is not SUPPRESS:
            if action.option_strings or action.nargs in (OPTIONAL, ZERO_OR_MORE):
                help += " (default: %(default)s)"
        return help


# -- parser ---------------------------------------------------------------------------------

_ACTIONS = {None: _StoreAction, "store": _StoreAction, "store_const": _StoreConstAction,
            "store_true": _StoreTrueAction, "store_false": _StoreFalseAction,
            "append": _AppendAction, "append_const": _AppendConstAction,
            "extend": _ExtendAction, "count": _CountAction, "help": _HelpAction,
            "version": _VersionAction, "parsers": _SubParsersAction}


class _ActionsContainer:
    def _make_action(self, args, kwargs):
        chars = self.prefix_chars
        if not args or len(args) == 1 and args[0][0] not in chars:
            if args and "dest" in kwargs:
                raise ValueError("dest supplied twice for positional argument")
            dest = args[0] if args else kwargs.pop("dest")
            if kwargs.get("nargs") not in (OPTIONAL, ZERO_OR_MORE, REMAINDER, SUPPRESS, 0) \
                    and "required" not in kwargs:
                kwargs["required"] = True
            if kwargs.get("nargs") == ZERO_OR_MORE and "default" not in kwargs:
                kwargs["required"] = True
            option_strings = []
        else:
            option_strings = list(args)
            for s in option_strings:
                if s[0] not in chars:
                    raise ValueError(f"invalid option string {s!r}: must start with a "
                                     f"character {chars!r}")
            dest = kwargs.pop("dest", None)
            if dest is None:
                long = [s for s in option_strings if len(s) > 1 and s[1] in chars]
                dest = (long or option_strings)[0].lstrip(chars).replace("-", "_")
        action_name = kwargs.pop("action", None)
        cls = _ACTIONS.get(action_name, action_name) if not isinstance(action_name, type) \
            else action_name
        if cls is None or isinstance(cls, str):
            raise ValueError(f"unknown action {action_name!r}")
        if "default" not in kwargs and dest in self._defaults:
            kwargs["default"] = self._defaults[dest]
        elif "default" not in kwargs and self.argument_default is not None:
            kwargs["default"] = self.argument_default
        action = cls(option_strings=option_strings, dest=dest, **kwargs)
        type_func = action.type
        if type_func is not None and not callable(type_func):
            raise ValueError(f"{type_func!r} is not callable")
        return action

    def add_argument(self, *args, **kwargs):
        action = self._make_action(args, kwargs)
        for s in action.option_strings:
            if s in self._option_map:
                raise ArgumentError(action, "conflicting option string: " + s)
        return self._add_action(action)

    def add_argument_group(self, title=None, description=None, **kwargs):
        group = _ArgumentGroup(self, title, description)
        self._action_groups.append(group)
        return group

    def add_mutually_exclusive_group(self, required=False):
        group = _MutuallyExclusiveGroup(self, required)
        self._mutually_exclusive_groups.append(group)
        return group

    def set_defaults(self, **kwargs):
        self._defaults.update(kwargs)
        for action in self._actions:
            if action.dest in kwargs:
                action.default = kwargs[action.dest]

    def get_default(self, dest):
        for action in self._actions:
            if action.dest == dest and action.default is not None:
                return action.default
        return self._defaults.get(dest, None)


class _ArgumentGroup(_ActionsContainer):
    def __init__(self, container, title=None, description=None):
        self._container = container
        self.title = title
        self.description = description
        self._group_actions = []
        self.prefix_chars = container.prefix_chars
        self.argument_default = container.argument_default

    @property
    def _defaults(self):
        return self._container._defaults

    @property
    def _option_map(self):
        return self._container._option_map

    @property
    def _actions(self):
        return self._container._actions

    @property
    def _mutually_exclusive_groups(self):
        return self._container._mutually_exclusive_groups

    @property
    def _action_groups(self):
        return self._container._action_groups

    def _add_action(self, action):
        self._container._register(action)
        self._group_actions.append(action)
        return action


class _MutuallyExclusiveGroup(_ArgumentGroup):
    def __init__(self, container, required=False):
        super().__init__(container)
        self.required = required

    def _add_action(self, action):
        if action.required:
            raise ValueError("mutually exclusive arguments must be optional")
        self._container._add_action(action)
        self._group_actions.append(action)
        return action


class ArgumentParser(_ActionsContainer):
    def __init__(self, prog=None, usage=None, description=None, epilog=None, parents=(),
                 formatter_class=HelpFormatter, prefix_chars="-", fromfile_prefix_chars=None,
                 argument_default=None, conflict_handler="error", add_help=True,
                 allow_abbrev=True, exit_on_error=True):
        if prog is None:
            prog = _os.path.basename(_sys.argv[0]) if _sys.argv and _sys.argv[0] else "python"
        self.prog = prog
        self.usage = usage
        self.description = description
        self.epilog = epilog
        self.formatter_class = formatter_class
        self.prefix_chars = prefix_chars
        self.argument_default = argument_default
        self.allow_abbrev = allow_abbrev
        self.exit_on_error = exit_on_error
        self._actions = []
        self._option_map = {}
        self._defaults = {}
        self._mutually_exclusive_groups = []
        self._action_groups = []
        self._positionals = self.add_argument_group("positional arguments")
        self._optionals = self.add_argument_group("options")
        self._subparsers = None
        if add_help:
            self.add_argument("-h", "--help", action="help", default=SUPPRESS,
                              help="show this help message and exit")
        for parent in parents:
            for action in parent._actions:
                if not isinstance(action, _HelpAction):
                    self._add_action(action)
            self._defaults.update(parent._defaults)

    def _register(self, action):
        self._actions.append(action)
        for s in action.option_strings:
            self._option_map[s] = action

    def _add_action(self, action):
        group = self._optionals if action.option_strings else self._positionals
        self._register(action)
        group._group_actions.append(action)
        return action

    def add_subparsers(self, title=None, description=None, prog=None, dest=SUPPRESS,
                       required=False, help=None, metavar=None, parser_class=None):
        if self._subparsers is not None:
            self.error("cannot have multiple subparser arguments")
        if prog is None:
            formatter = self._get_formatter()
            positionals = [a for a in self._actions if not a.option_strings]
            parts = [formatter._usage_part(a) for a in positionals]
            prog = " ".join([self.prog] + parts)
        if title or description:
            group = self.add_argument_group(title or "subcommands", description)
        else:
            group = self._positionals
        action = _SubParsersAction([], prog, parser_class or type(self), dest=dest,
                                   required=required, help=help, metavar=metavar)
        self._register(action)
        group._group_actions.append(action)
        self._subparsers = action
        return action

    def _get_formatter(self):
        return self.formatter_class(prog=self.prog)

    def format_usage(self):
        return self._get_formatter().format_usage(self) + "\n"

    def format_help(self):
        return self._get_formatter().format_help(self)

    def print_usage(self, file=None):
        (file or _sys.stdout).write(self.format_usage())

    def print_help(self, file=None):
        (file or _sys.stdout).write(self.format_help())

    def exit(self, status=0, message=None):
        if message:
            _sys.stderr.write(message)
        _sys.exit(status)

    def error(self, message):
        self.print_usage(_sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_args(self, args=None, namespace=None):
        args, argv = self.parse_known_args(args, namespace)
        if argv:
            self.error("unrecognized arguments: " + " ".join(argv))
        return args

    def parse_known_args(self, args=None, namespace=None):
        if args is None:
            args = _sys.argv[1:]
        else:
            args = list(args)
        if namespace is None:
            namespace = Namespace()
        for action in self._actions:
            if action.dest is not SUPPRESS and not hasattr(namespace, action.dest) \
                    and action.default is not SUPPRESS:
                setattr(namespace, action.dest, action.default)
        for dest, value in self._defaults.items():
            if not hasattr(namespace, dest):
                setattr(namespace, dest, value)
        try:
            namespace, extras = self._parse(args, namespace)
        except ArgumentError as err:
            if not self.exit_on_error:
                raise
            self.error(str(err))
        if "_UNRECOGNIZED_ARGS" in vars(namespace):
            extras.extend(namespace._UNRECOGNIZED_ARGS)
            del namespace._UNRECOGNIZED_ARGS
        return namespace, extras

    def _lookup_option(self, arg):
        if arg in self._option_map:
            return self._option_map[arg], arg, None
        if "=" in arg:
            opt, _, explicit = arg.partition("=")
            if opt in self._option_map:
                return self._option_map[opt], opt, explicit
        if arg.startswith("--") and self.allow_abbrev:
            opt, sep, explicit = arg.partition("=")
            matches = [s for s in self._option_map if s.startswith(opt)]
            if len(matches) == 1:
                return self._option_map[matches[0]], matches[0], explicit if sep else None
            if len(matches) > 1:
                options = ", ".join(matches)
                raise ArgumentError(None, f"ambiguous option: {opt} could match {options}")
        if len(arg) > 2 and arg[0] in self.prefix_chars and arg[1] not in self.prefix_chars:
            short = arg[:2]
            if short in self._option_map:
                return self._option_map[short], short, arg[2:]
        return None, arg, None

    def _is_option(self, arg):
        if not arg or arg[0] not in self.prefix_chars or arg == "-":
            return False
        if self._lookup_option(arg)[0] is not None:
            return True
        try:
            float(arg)
            return False
        except ValueError:
            return True

    def _convert(self, action, value):
        type_func = action.type
        if type_func is None:
            result = value
        else:
            try:
                result = type_func(value)
            except ArgumentTypeError as e:
                raise ArgumentError(action, str(e))
            except (TypeError, ValueError):
                name = getattr(type_func, "__name__", repr(type_func))
                raise ArgumentError(action, f"invalid {name} value: {value!r}")
        if action.choices is not None and not isinstance(action, _SubParsersAction) \
                and result not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            raise ArgumentError(action, f"invalid choice: {result!r} (choose from {choices})")
        return result

    def _values(self, action, strings):
        nargs = action.nargs
        if nargs == PARSER:
            return [self._convert(action, strings[0])] + list(strings[1:])
        if nargs == REMAINDER:
            return list(strings)
        if nargs is None:
            return self._convert(action, strings[0])
        if nargs == OPTIONAL:
            if not strings:
                if action.option_strings:
                    return action.const
                default = action.default
                if isinstance(default, str):
                    return self._convert(action, default)
                return default
            return self._convert(action, strings[0])
        if nargs == ZERO_OR_MORE and not strings and not action.option_strings:
            return action.default if action.default is not None else []
        if nargs == 0:
            return action.const
        return [self._convert(action, s) for s in strings]

    def _parse(self, args, namespace):
        seen = set()
        extras = []
        positionals = [a for a in self._actions if not a.option_strings]
        pos_strings = []
        conflicts = {}
        for group in self._mutually_exclusive_groups:
            for a in group._group_actions:
                conflicts.setdefault(id(a), []).extend(
                    o for o in group._group_actions if o is not a)
        i = 0
        after_dashdash = False
        while i < len(args):
            arg = args[i]
            if not after_dashdash and arg == "--":
                after_dashdash = True
                pos_strings.append(_DASHDASH)
                i += 1
                continue
            if after_dashdash or not self._is_option(arg):
                pos_strings.append(arg)
                if positionals and positionals[-1].nargs in (PARSER, REMAINDER) and \
                        sum(x is not _DASHDASH for x in pos_strings) >= \
                        self._min_before_parser(positionals):
                    pos_strings.extend(args[i + 1:])
                    break
                i += 1
                continue
            if pos_strings:
                # Positionals before an option are matched now, as CPython does.
                self._consume_positionals(positionals, pos_strings, namespace, seen, extras)
                pos_strings = []
            action, opt, explicit = self._lookup_option(arg)
            if action is None:
                extras.append(arg)
                i += 1
                continue
            for other in conflicts.get(id(action), ()):
                if id(other) in seen:
                    raise ArgumentError(action, f"not allowed with argument {_arg_name(other)}")
            i += 1
            nargs = action.nargs
            if explicit is not None:
                if nargs == 0:
                    if len(opt) == 2 and opt[0] in self.prefix_chars:
                        # Bundled short flags: -vvx
                        action(self, namespace, None, opt)
                        seen.add(id(action))
                        rest = opt[0] + explicit
                        args = args[:i] + [rest] + args[i:]
                        continue
                    raise ArgumentError(action, f"ignored explicit argument {explicit!r}")
                strings = [explicit]
            else:
                strings = []
                want = {None: 1, OPTIONAL: (0, 1), ZERO_OR_MORE: (0, None),
                        ONE_OR_MORE: (1, None), REMAINDER: (0, None)}.get(nargs, nargs)
                if isinstance(want, tuple):
                    lo, hi = want
                else:
                    lo, hi = want, want
                while i < len(args) and (hi is None or len(strings) < hi) and \
                        (nargs == REMAINDER or not self._is_option(args[i])) and args[i] != "--":
                    strings.append(args[i])
                    i += 1
                if len(strings) < lo:
                    raise ArgumentError(action, _nargs_error(nargs))
            action(self, namespace, self._values(action, strings), opt)
            seen.add(id(action))
        self._consume_positionals(positionals, pos_strings, namespace, seen, extras)
        missing = [_arg_name(a) for a in self._actions
                   if a.required and id(a) not in seen]
        if missing:
            raise ArgumentError(None, "the following arguments are required: "
                                + ", ".join(missing))
        for group in self._mutually_exclusive_groups:
            if group.required and not any(id(a) in seen for a in group._group_actions):
                names = " ".join(_arg_name(a) for a in group._group_actions
                                 if a.help != SUPPRESS)
                raise ArgumentError(None, f"one of the arguments {names} is required")
        for action in self._actions:
            if id(action) not in seen and isinstance(action.default, str) and \
                    action.dest is not SUPPRESS and action.type is not None and \
                    getattr(namespace, action.dest, None) is action.default:
                setattr(namespace, action.dest, self._convert(action, action.default))
        return namespace, extras

    def _min_before_parser(self, positionals):
        return sum(1 for a in positionals[:-1] if a.nargs not in (OPTIONAL, ZERO_OR_MORE)) + 1

    def _consume_positionals(self, positionals, strings, namespace, seen, extras):
        """Match the longest prefix of the positionals not yet filled against `strings`
        (greedy, like a regular expression of their nargs), fill them, and count what is
        left over as extra. Filled positionals are removed from `positionals`. A `--` marker inside the run is
        dropped when a positional consumes strings after it, else it is extra."""
        marked = strings
        strings = [x for x in marked if x is not _DASHDASH]
        def bounds(a):
            n = a.nargs
            if n is None:
                return 1, 1
            if n == OPTIONAL:
                return 0, 1
            if n in (ZERO_OR_MORE, REMAINDER):
                return 0, None
            if n in (ONE_OR_MORE, PARSER):
                return 1, None
            return n, n

        def match(acts, start):
            if not acts:
                return []
            lo, hi = bounds(acts[0])
            top = len(strings) - start if hi is None else min(hi, len(strings) - start)
            for take in range(top, lo - 1, -1):
                rest = match(acts[1:], start + take)
                if rest is not None:
                    return [take] + rest
            return None

        for k in range(len(positionals), 0, -1):
            counts = match(positionals[:k], 0)
            if counts is not None:
                break
        else:
            extras.extend("--" if x is _DASHDASH else x for x in marked)
            return
        idx = 0
        for action, take in zip(positionals[:k], counts):
            chunk = strings[idx:idx + take]
            idx += take
            action(self, namespace, self._values(action, chunk), None)
            seen.add(id(action))
        del positionals[:k]
        seen_real = 0
        for x in marked:
            if x is _DASHDASH:
                if seen_real >= idx:
                    extras.append("--")
            else:
                if seen_real >= idx:
                    extras.append(x)
                seen_real += 1


def _nargs_error(nargs):
    if nargs is None:
        return "expected one argument"
    if nargs == OPTIONAL:
        return "expected at most one argument"
    if nargs == ONE_OR_MORE:
        return "expected at least one argument"
    return f"expected {nargs} argument{'s' if nargs != 1 else ''}"
