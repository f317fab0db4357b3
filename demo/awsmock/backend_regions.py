"""The regions of a moto backend, from the service model's metadata alone.

moto gives each account's backend of a service the regions botocore's ``get_available_regions`` lists, which loads
and keeps the service's whole model for its ``endpointPrefix``. The Tagging API's ``GetResources`` makes the backend
of every service it covers (SageMaker, QuickSight, RDS, ...): 34 MB of models parsed, half a second, for models no
call of the demo reads. ``regions(service_name)`` reads the prefix from the model file's ``metadata`` (the first
member of every botocore model) and asks botocore's endpoint resolver for the regions of each
partition, as ``get_available_regions`` does; when the metadata cannot be read that way it asks botocore itself.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

_METADATA = re.compile(r'"metadata"\s*:\s*(\{(?:[^{}]|\{[^{}]*\})*\})')  # (objects in it: one level)
_HEAD = 16384  # bytes: a model's metadata is a few hundred
_REGIONS: dict[str, list[str]] = {}
_LOCK = threading.Lock()


def _metadata(loader: Any, service_name: str) -> dict[str, Any] | None:
    """The ``metadata`` of the service's latest model, read from the head of the file botocore's loader would load
    (its search paths and file extensions in its order)."""
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import _JSON_OPEN_METHODS

    try:
        version = loader.determine_latest_version(service_name, "service-2")
    except DataNotFoundError:
        return None
    for location in loader._potential_locations(f"{service_name}/{version}/service-2"):
        for ext, open_method in _JSON_OPEN_METHODS.items():
            if os.path.isfile(location + ext):
                with open_method(location + ext, "rb") as f:
                    m = _METADATA.search(f.read(_HEAD).decode("utf-8", errors="replace"))
                return json.loads(m.group(1)) if m else None
    return None


def regions(session: Any, loader: Any, service_name: str, fallback: Any) -> list[str]:
    """What moto's ``_generate_regions`` answers for ``service_name`` (``fallback`` when the metadata is not read)."""
    with _LOCK:
        if service_name in _REGIONS:
            return list(_REGIONS[service_name])
    metadata = _metadata(loader, service_name)
    if metadata is None:
        found = list(fallback(service_name))
    else:
        prefix = metadata.get("endpointPrefix", service_name)
        core = getattr(session, "_session", session)  # (moto's is a boto3 session; the resolver is its botocore one's)
        resolver = core._get_internal_component("endpoint_resolver")
        found = []
        for partition in session.get_available_partitions():
            found.extend(resolver.get_available_endpoints(prefix, partition, False))
    with _LOCK:
        _REGIONS[service_name] = found
    return list(found)
