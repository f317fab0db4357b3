"""Every sub-command and option of ``agentgov`` says what it does and its default; the top-level help shows examples
that parse.

The tree is walked from the full parser (every command module loaded); ``agentgov --help`` itself is built lazily
(tests/test_scan_imports.py), from the one-line help of ``main.COMMANDS``, checked here against each module's own.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator

import pytest

from agentgov.cli.main import COMMANDS, EXAMPLES, full_parser, parser_for


def _subparsers(p: argparse.ArgumentParser) -> list[argparse._SubParsersAction]:
    return [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]


def walk(p: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree with the words that reach it."""
    yield path, p
    for sp in _subparsers(p):
        for name, child in sp.choices.items():
            yield from walk(child, (*path, name))


def _mentions_default(action: argparse.Action) -> bool:
    help_text = (action.help or "").lower()
    default = action.default
    if isinstance(default, (list, tuple)):
        shown = [str(x) for x in default]
    elif isinstance(default, float) and default.is_integer():
        shown = [str(default), str(int(default))]  # 900.0 is written 900
    else:
        shown = [str(default)]
    shown = [s.lower() for s in shown if s]
    # an empty default ("") has nothing to show: the help must still say what the default is
    return "default" in help_text and (not shown or any(s in help_text for s in shown))


def test_every_command_has_help():
    missing = []
    for path, p in walk(full_parser()):
        for sp in _subparsers(p):
            helped = {a.dest for a in sp._choices_actions if a.help}
            missing += [" ".join((*path, name)) for name in sp.choices if name not in helped]
    assert not missing, f"sub-commands without help: {missing}"


def test_every_option_has_help_and_states_its_default():
    problems = []
    for path, p in walk(full_parser()):
        where = "agentgov " + " ".join(path)
        for a in p._actions:
            if isinstance(a, (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)):
                continue
            name = "/".join(a.option_strings) or a.dest
            if not a.help or a.help == argparse.SUPPRESS:
                problems.append(f"{where}: {name} has no help")
                continue
            if a.default is None or a.default is False or a.default == [] or a.default == argparse.SUPPRESS:
                continue
            if not _mentions_default(a):
                problems.append(f"{where}: {name} defaults to {a.default!r}, which its help does not say")
    assert not problems, "\n".join(problems)


def test_the_walk_sees_an_option_without_help_and_an_unstated_default():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="c")
    x = sub.add_parser("x", help="x")
    x.add_argument("--bare")
    x.add_argument("--n", type=int, default=3, help="how many")
    x.add_argument("--m", type=int, default=3, help="how many (default 3)")
    found = {a.dest: (bool(a.help), a.default is None or _mentions_default(a)) for _, q in walk(p) for a in q._actions}
    assert found["bare"] == (False, True) and found["n"] == (True, False) and found["m"] == (True, True)


def test_the_lazy_help_lines_are_each_modules_own():
    full = {a.dest: a.help for sp in _subparsers(full_parser()) for a in sp._choices_actions}
    assert full == {name: summary for name, _, summary in COMMANDS}


def test_top_level_help_shows_three_examples_that_parse(capsys):
    with pytest.raises(SystemExit):
        parser_for(["--help"]).parse_args(["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out
    assert len(EXAMPLES) >= 3
    commands = set()
    for line, _ in EXAMPLES:
        assert line in out
        argv = shlex.split(line)
        assert argv[0] == "agentgov"
        args = full_parser().parse_args(argv[1:])  # exits 2 on an option agentgov does not have
        lazy = parser_for(argv[1:]).parse_args(argv[1:])  # as a user's start parses it
        assert vars(args) == vars(lazy)
        commands.add(args.command)
    assert {"scan", "audit"} <= commands and len(commands) >= 3
