"""moto's EC2 instance type offerings, read per region when asked rather than all at import.

``moto.ec2.models.instance_types`` parses, when it is imported, the offerings of every region for each location
type (``region``, ``availability-zone``, ``availability-zone-id``): about 100 files, 40 MB of Python objects and a
quarter of a second, for ``RunInstances``' instance-type check, ``DescribeInstanceTypeOfferings`` and
``DescribeSpotPriceHistory`` in one region at a time (nothing agentgov audits or seeds calls them). ``lazy()`` imports
that module with the offerings files left unread, and puts in its ``INSTANCE_TYPE_OFFERINGS`` a mapping per location
type that reads a region's file on first use, with what the import adds (``LocationType`` on every offering): each
call answers what moto answers.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Mapping
from typing import Any

_MODULE = "moto.ec2.models.instance_types"
_FOLDER = "resources/instance_type_offerings/"


class _Regions(Mapping[str, list[dict[str, Any]]]):
    """One location type's offerings by region, each region's file read on first use (as moto's import reads it)."""

    def __init__(self, location_type: str, calls: dict[str, tuple[Any, ...]], load: Any):
        self._location_type = location_type
        self._calls = calls  # region -> the arguments moto's import passed to load_resource for its file
        self._load = load
        self._read: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def __getitem__(self, region: str) -> list[dict[str, Any]]:
        with self._lock:
            if region not in self._read:
                offerings = self._load(*self._calls[region])  # KeyError for a region without offerings
                for offering in offerings:
                    offering["LocationType"] = self._location_type
                self._read[region] = offerings
            return self._read[region]

    def __iter__(self) -> Iterator[str]:
        return iter(self._calls)

    def __len__(self) -> int:
        return len(self._calls)


def lazy() -> None:
    """Import moto's instance types with the offerings read on demand (nothing when the module is already imported)."""
    if _MODULE in sys.modules:
        return
    import moto.utilities.utils as utils

    original = utils.load_resource
    skipped: dict[str, dict[str, tuple[Any, ...]]] = {}

    def load_resource(*args: Any) -> Any:
        # moto up to 5.2.5 calls load_resource(package, "../resources/instance_type_offerings/<type>/<file>"), from
        # 5.2.6 load_resource("ec2/resources/instance_type_offerings/<type>/<file>"): the file's path is the last argument
        resource = args[-1] if args else None
        if isinstance(resource, str) and _FOLDER in resource and (len(args) == 1 or args[0] == _MODULE):
            location_type, name = resource.split(_FOLDER, 1)[1].split("/", 1)
            skipped.setdefault(location_type, {})[name.split(".")[0]] = args
            return []
        return original(*args)

    utils.load_resource = load_resource  # type: ignore[assignment]  # (one wrapper for both of moto's signatures)
    try:
        import moto.ec2.models.instance_types as instance_types
    finally:
        utils.load_resource = original
    instance_types.load_resource = original  # (the module's own name for it, bound while it was imported)
    offerings = instance_types.INSTANCE_TYPE_OFFERINGS
    for location_type, files in skipped.items():
        offerings[location_type] = _Regions(location_type, files, original)
