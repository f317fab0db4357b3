"""Values of root-module input variables from ``.tfvars`` files.

Precedence, lowest first (later files win), as Terraform loads them:

1. ``default`` in the ``variable`` block (applied by the caller of this module)
2. ``terraform.tfvars``, then ``terraform.tfvars.json``
3. ``*.auto.tfvars`` / ``*.auto.tfvars.json`` in lexical order
4. any other ``*.tfvars`` / ``*.tfvars.json`` - these are only read with
   ``-var-file``, which the scanner cannot know: when there is exactly one
   such file it is taken as the ``-var-file``; when there are several none is
   used, and the variables they might set say so in their Unknown reason.

Values in tfvars files must be constants; anything else becomes Unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentgov.scanner.model import ParseError, Unknown

from .hcl import MAX_FILE_BYTES, load_file, read_regular


@dataclass(slots=True)
class TfVars:
    values: dict[str, Any] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # non-auto .tfvars not loaded (display paths)
    errors: list[ParseError] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)


def _is_tfvars(name: str) -> bool:
    return name.endswith(".tfvars") or name.endswith(".tfvars.json")


def tfvars_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(files Terraform loads by itself in order, other .tfvars files)."""
    try:
        names = sorted(p.name for p in root.iterdir() if p.is_file() and _is_tfvars(p.name))
    except OSError:
        return [], []
    auto: list[Path] = []
    for fixed in ("terraform.tfvars", "terraform.tfvars.json"):
        if fixed in names:
            auto.append(root / fixed)
    auto += [root / n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    others = [root / n for n in names if root / n not in auto]
    return auto, others


def load_tfvars(root: Path, display: Callable[[Path], str], scope_factory: Callable[[], Any]) -> TfVars:
    out = TfVars()
    auto, others = tfvars_files(root)
    chosen = list(auto)
    if len(others) == 1:
        chosen.append(others[0])
    else:
        out.ignored = [display(p) for p in others]
    for path in chosen:
        shown = display(path)
        try:
            if path.name.endswith(".json"):
                values = _json_vars(path, shown, out)
            else:
                values = _hcl_vars(path, shown, out, scope_factory)
        except Exception as exc:  # never let a tfvars file stop the scan
            out.errors.append(ParseError(file=shown, reason=f"cannot read variables: {exc}"))
            continue
        if values is not None:
            out.values.update(values)
            out.loaded.append(shown)
    return out


def _json_vars(path: Path, shown: str, out: TfVars) -> dict[str, Any] | None:
    try:
        data = json.loads(read_regular(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        out.errors.append(ParseError(file=shown, reason=f"invalid JSON variables file: {exc}"))
        return None
    if not isinstance(data, dict):
        out.errors.append(ParseError(file=shown, reason="a JSON variables file must hold an object"))
        return None
    return data


def _hcl_vars(path: Path, shown: str, out: TfVars, scope_factory: Callable[[], Any]) -> dict[str, Any] | None:
    from .evaluate import evaluate_safely
    from .values import finalize

    f = load_file(path, shown)
    if f.error is not None:
        out.errors.append(f.error)
        return None
    values: dict[str, Any] = {}
    scope = scope_factory()
    for name, attr in f.body.attributes.items():
        v = finalize(evaluate_safely(attr.expr, scope, f"{name} in {shown}"))
        if isinstance(v, Unknown):
            v = Unknown(f"the value of {name} in {shown} is not a constant ({v.reason})")
        values[name] = v
    return values
