"""Foundation models that Amazon Bedrock has moved to the LEGACY state (or past it, to end of life), read from a data file.

``data/model_lifecycle.json`` lists each model id with the dates the AWS documentation gives it: when it became
LEGACY (``legacy``), when it reaches end of life (``eol``) and in which regions those dates apply. Its header says
where the rows come from (``source``: the Bedrock user guide's model lifecycle pages), how new the newest of them is
(``source_date``: the day the pages were read), when the file was made (``generated``) and how many models it holds.

A model is LEGACY on a day between its legacy date and its EOL date, and at end of life from its EOL date on
(requests to it fail); before its legacy date it is still ACTIVE. The live audit does not use this file: it asks
Bedrock (GetFoundationModel's ``modelLifecycle``). The IaC scan uses it, and a model it does not list stays UNKNOWN
(the file is a snapshot: absence is not proof of ACTIVE).

Refresh (a maintainer's command): download the markdown of both lifecycle pages
(https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.md and .../model-lifecycle.md) and run
``python -m agentgov.scanner.model_lifecycle --refresh PAGE.md [PAGE.md ...]``. The tables and the lists of the
"Legacy and end-of-life" sections are parsed (model id, regions, legacy date, EOL date); nothing is fetched by
agentgov itself. tests/test_model_lifecycle.py fails when the copy is older than ``MAX_AGE_MONTHS``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "model_lifecycle.json"
FORMAT = 1
#: AWS moves models to LEGACY every few weeks: a copy older than this misses some
MAX_AGE_MONTHS = 6
SOURCE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle-legacy.html"


@dataclass(frozen=True)
class Lifecycle:
    model_id: str
    legacy: str  # YYYY-MM-DD
    eol: str | None
    regions: tuple[str, ...]

    def status(self, today: str) -> str:
        """ACTIVE (not yet LEGACY), LEGACY, or EOL on ``today`` (YYYY-MM-DD)."""
        if today < self.legacy:
            return "ACTIVE"
        if self.eol and today >= self.eol:
            return "EOL"
        return "LEGACY"


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "source": "unavailable", "source_date": None, "count": 0, "models": {}}
    return data if isinstance(data, dict) and isinstance(data.get("models"), dict) else {"models": {}}


def header() -> dict[str, Any]:
    return {k: v for k, v in _load().items() if k != "models"}


def data_version() -> str:
    """How evidence names the copy: ``"<source>, read <source_date>"``."""
    h = header()
    return f"{h.get('source', 'unavailable')}, read {h.get('source_date') or 'unknown'}"


def lookup(model_id: str) -> Lifecycle | None:
    """The lifecycle row of a foundation model id (``anthropic.claude-3-haiku-20240307-v1:0``), or None."""
    row = _load()["models"].get(model_id)
    if not isinstance(row, dict) or not isinstance(row.get("legacy"), str):
        return None
    return Lifecycle(model_id, row["legacy"], row.get("eol"), tuple(row.get("regions") or ()))


def problems(head: dict[str, Any], today: str) -> list[str]:
    """Why the copy described by ``head`` should be refreshed (stale, empty, foreign); ``today``: YYYY-MM-DD."""
    out: list[str] = []
    if not isinstance(head.get("count"), int) or head["count"] < 1:
        out.append(f"{head.get('count')} models: the copy is empty or broken")
    date = head.get("source_date")
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        out.append(f"source_date {date!r} is not a date")
    else:
        months = (int(today[:4]) - int(date[:4])) * 12 + int(today[5:7]) - int(date[5:7])
        if months > MAX_AGE_MONTHS:
            out.append(f"read {date}, {months} months before {today} (more than {MAX_AGE_MONTHS}): stale")
    if head.get("format") != FORMAT:
        out.append(f"format {head.get('format')!r}, this agentgov reads format {FORMAT}")
    return out


# ------------------------------------------------------------ refresh (maintainers)

_MODEL_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9.:-]+$")
_FIELD = re.compile(r"\*\*(Model ID|Regions|Legacy date|EOL date):\*\*\s*([^/\n]*)")


def _date(text: str) -> str | None:
    text = text.strip().replace("\\", "")
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _regions(text: str) -> list[str]:
    return [r.strip() for r in text.split(",") if re.fullmatch(r"[a-z]{2}(-gov)?-[a-z]+-\d", r.strip())]


def _add(out: dict[str, dict[str, Any]], model: str, regions: list[str], legacy: str | None, eol: str | None) -> None:
    if not _MODEL_ID.match(model) or legacy is None:
        return
    row = out.setdefault(model, {"legacy": legacy, "eol": eol, "regions": []})
    row["legacy"] = min(row["legacy"], legacy)
    if eol and (row["eol"] is None or eol > row["eol"]):
        row["eol"] = eol  # the latest EOL of its regions: before it, the model still runs somewhere
    row["regions"] = sorted(set(row["regions"]) | set(regions))


def parse(markdown: str) -> dict[str, dict[str, Any]]:
    """The models of a lifecycle page's "Legacy and end-of-life" section: its tables (Model ID, Regions, Legacy
    date, EOL date columns) and its bulleted entries (``**Model ID:** ...``)."""
    start = markdown.find("Legacy and end-of-life")
    text = markdown[start:] if start >= 0 else markdown
    out: dict[str, dict[str, Any]] = {}
    columns: list[str] = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else []
        if cells and "Model ID" in cells:
            columns = cells
        elif cells and columns and not set("".join(cells)) <= set("-: ") and len(cells) == len(columns):
            row = dict(zip(columns, cells, strict=True))
            _add(
                out,
                row["Model ID"],
                _regions(row.get("Regions", "")),
                _date(row.get("Legacy date", "")),
                _date(row.get("EOL date", "")),
            )
        elif not cells:
            columns = [] if line.strip() and not line.lstrip().startswith("|") else columns
    # bulleted entries: "**Model ID:** x" then "**Regions:** a, b / **Legacy date:** ... / **EOL date:** ..." lines
    model: str | None = None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        found = dict(_FIELD.findall(line))
        if "Model ID" in found:
            model, fields = found["Model ID"].strip(), {}
            continue
        if model is None:
            continue
        fields.update({k: v.strip() for k, v in found.items()})
        if "EOL date" in found or ("Legacy date" in fields and "EOL date" in fields):
            _add(out, model, _regions(fields.get("Regions", "")), _date(fields.get("Legacy date", "")), _date(fields["EOL date"]))
            fields = {}
    return out


def build(pages: list[str], read_on: str) -> dict[str, Any]:
    models: dict[str, dict[str, Any]] = {}
    for page in pages:
        for model, row in parse(page).items():
            _add(models, model, row["regions"], row["legacy"], row["eol"])
    return {
        "format": FORMAT,
        "source": SOURCE,
        "source_note": f"rows parsed by --refresh from {len(pages)} saved lifecycle page(s)",
        "source_date": read_on,
        "generated": dt.date.today().isoformat(),
        "count": len(models),
        "models": dict(sorted(models.items())),
    }


def refresh(paths: list[str]) -> int:
    pages = []
    for p in paths:
        try:
            pages.append(Path(p).read_text(encoding="utf-8"))
        except OSError as exc:
            print(f"{p}: cannot be read ({exc.strerror})", file=sys.stderr)
            return 2
    data = build(pages, dt.date.today().isoformat())
    if not data["models"]:
        print(f"{', '.join(paths)}: no model with a legacy date found (is it the lifecycle page's markdown?)", file=sys.stderr)
        return 2
    tmp = DATA_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(DATA_FILE)
    print(f"{DATA_FILE}: {data['count']} models from {len(pages)} page(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "--refresh":
        print("usage: python -m agentgov.scanner.model_lifecycle --refresh PAGE.md [PAGE.md ...]", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(refresh(sys.argv[2:]))
