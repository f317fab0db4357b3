"""``agentgov policies list | show ID | test [DIR] | new ID``: the policies of the pack and a team's own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, Parser, err, finish, load_pack

NAME = "policies"
FORMS = ("iac", "live", "scp", "config")
TITLE_WIDTH = 72  # text output: longer titles are cut (JSON has them whole)
#: the fixtures of the built-in pack, in a source checkout
BUILTIN_FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "policies"


def add_parser(sub: Any) -> None:
    pol = sub.add_parser(NAME, help="list, show, test or scaffold policies (the built-in pack and user packs)")
    # without an action: the list, unfiltered
    pol.set_defaults(severity=None, pillar=None, form=None, source=None, format="text", policies=[], config=None)
    psub = pol.add_subparsers(dest="policies_command", metavar="ACTION", parser_class=Parser)
    ls = psub.add_parser("list", help="one line per policy: id, title, severity, pillar, forms, source")
    ls.add_argument("--severity", action="append", choices=options.SEVERITIES, help="only this severity (repeatable)")
    ls.add_argument("--pillar", action="append", help="only this pillar (repeatable)")
    ls.add_argument("--form", action="append", choices=FORMS, help="only policies with this form (repeatable)")
    ls.add_argument("--source", help="only policies from here: built-in, user, or a user pack's directory")
    ls.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format (default text)")
    options.add_policies(ls)
    options.add_config(ls, "policy_paths and overrides")
    show = psub.add_parser("show", help="one policy in full (its file)")
    show.add_argument("id", help="the policy id (AG201; case does not matter)")
    options.add_policies(show)
    options.add_config(show, "policy_paths")
    test = psub.add_parser(
        "test",
        help="run each policy against its fixtures; exit 1 on any mismatch",
        description="Run each policy of a user pack (DIR; fixtures in DIR/fixtures/<ID>/) or of the built-in pack "
        "(no DIR; fixtures in tests/policies/<ID>/) against its fixtures. Expectations: agentgov:expect comments in the "
        "fixtures, or expected.yaml. Exit 0 when every policy matches, 1 on a mismatch, 2 when a policy cannot be loaded.",
    )
    test.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="a user pack (default: the built-in pack)")
    test.add_argument("--fixtures", type=Path, metavar="ROOT", help="fixtures root (default DIR/fixtures, or tests/policies)")
    test.add_argument("--policy", action="append", default=[], metavar="ID", help="test only this policy (repeatable)")
    new = psub.add_parser("new", help="scaffold a policy and a failing and a passing fixture in CloudFormation and Terraform")
    new.add_argument("id", help="the new policy's id: your team's prefix and 3-4 digits, e.g. ORG001")
    new.add_argument("--kind", required=True, help="the resource kind it judges (e.g. agent)")
    new.add_argument("--dir", type=Path, default=Path("policies"), help="the user pack directory (default policies)")


def run(args: argparse.Namespace) -> int:
    cmd = args.policies_command or "list"
    if cmd == "test":
        return _test(args)
    if cmd == "new":
        from agentgov.cli.policy_scaffold import scaffold

        return scaffold(args.id, args.kind, args.dir)
    pack = load_pack(args)
    if cmd == "list":
        return finish(_list(pack, args), pack)
    p = pack.get(args.id.upper())
    if p is None:
        err(f"no policy {args.id} (see 'agentgov policies list')")
        return EXIT_USAGE
    sys.stdout.write(pack.files[p.id].read_text(encoding="utf-8"))
    return finish(EXIT_OK, pack)


def forms(p: Any) -> list[str]:
    """Where a policy is enforced: IaC (scan), live (audit), SCP (scp build), Config (config-rules build)."""
    out = []
    if not p.live_only:
        out.append("iac")
    if not set(p.resource) <= {"template_parameter", "secret_parameter"}:  # template inputs exist only in IaC
        out.append("live")
    if p.scp_statements:
        out.append("scp")
    if p.detective:
        out.append("config")
    return out


def _list(pack: Any, args: argparse.Namespace) -> int:
    rows = []
    for p in pack:
        src = pack.sources.get(p.id, "built-in")
        row = {
            "id": p.id,
            "title": p.title,
            "severity": p.severity,
            "pillar": p.pillar,
            "forms": forms(p),
            "source": src,
        }
        if args.severity and p.severity not in args.severity:
            continue
        if args.pillar and p.pillar not in args.pillar:
            continue
        if args.form and not set(args.form) & set(row["forms"]):
            continue
        if args.source and not _source_matches(args.source, src):
            continue
        rows.append(row)
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = min(max([len(r["title"]) for r in rows] + [5]), TITLE_WIDTH)
    sys.stdout.write(f"{'id':9}  {'title':{width}}  {'severity':8}  {'pillar':8}  {'forms':20}  source\n")
    for r in rows:
        title = r["title"] if len(r["title"]) <= width else r["title"][: width - 3] + "..."
        sys.stdout.write(
            f"{r['id']:9}  {title:{width}}  {r['severity']:8}  {r['pillar']:8}  {' '.join(r['forms']):20}  {r['source']}\n"
        )
    return EXIT_OK


def _source_matches(want: str, src: str) -> bool:
    if want == "built-in":
        return src == "built-in"
    if want == "user":
        return src != "built-in"
    return src != "built-in" and Path(src).resolve() == Path(want).resolve()


def _test(args: argparse.Namespace) -> int:
    from agentgov.scanner.pack import load_effective
    from agentgov.scanner.policy_tests import run_all, table

    if args.dir is not None:
        pack = load_effective(None, [args.dir], read_config=False)
        for line in pack.not_loaded:
            err(f"policy pack error: {line}")
        ids = [pid for pid, src in pack.sources.items() if src != "built-in"]
        root = args.fixtures or args.dir / "fixtures"
    else:
        pack = load_effective(None, [], read_config=False)
        ids = list(pack.policies)
        root = args.fixtures or BUILTIN_FIXTURES
        if not root.is_dir():
            err(
                f"the built-in pack's fixtures are not here ({root}): they are in agentgov's source repository; give --fixtures ROOT"
            )
            return EXIT_USAGE
    if args.policy:
        unknown = [p for p in args.policy if p.upper() not in ids]
        if unknown:
            err(f"no policy {', '.join(unknown)} in {args.dir or 'the built-in pack'}")
            return EXIT_USAGE
        ids = [p for p in ids if p in {x.upper() for x in args.policy}]
    if not ids and not pack.not_loaded:
        err(f"{args.dir}: no policy to test (a user pack is a directory of ID.yaml policy files)")
        return EXIT_USAGE
    tests = run_all(pack, root, ids)
    sys.stdout.write(table(tests))
    if pack.not_loaded:
        return EXIT_USAGE
    return EXIT_OK if all(t.ok for t in tests) else EXIT_FAIL
