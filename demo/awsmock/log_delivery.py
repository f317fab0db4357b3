"""CloudWatch Logs delivery for AgentCore, which moto 5.2 refuses: a delivery source on a ``bedrock-agentcore``
resource (log types APPLICATION_LOGS, USAGE_LOGS and TRACES) and a delivery destination of type XRAY (no destination
resource: traces go to X-Ray). Everything else stays moto's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.logs.exceptions import ValidationException
from moto.logs.models import DeliveryDestination, DeliverySource

from agentgov.demo.awsmock._common import Refused

#: what AgentCore resources deliver (CloudWatch vended logs; TRACES only to X-Ray)
AGENTCORE_LOG_TYPES = ("APPLICATION_LOGS", "USAGE_LOGS", "TRACES")


def agentcore_sources(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_delivery_source(self: Any, name: str, resource_arn: str, log_type: str, tags: dict[str, str]) -> Any:
        if resource_arn.split(":")[2] != "bedrock-agentcore":
            return original(self, name, resource_arn, log_type, tags)
        if log_type not in AGENTCORE_LOG_TYPES:
            raise ValidationException(msg=" This service is not allowed for this LogSource.")
        source = DeliverySource(self.account_id, self.region_name, name, resource_arn, log_type, tags)
        self.delivery_sources[name] = source
        if tags:
            self.tag_resource(source.arn, tags)
        return source

    return put_delivery_source


def _put_delivery_destination(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend = self.logs_backend
    kind = p.get("deliveryDestinationType")
    config = p.get("deliveryDestinationConfiguration")
    if kind == "XRAY":
        if config:
            raise Refused("An XRAY delivery destination takes no deliveryDestinationConfiguration")
        dest = DeliveryDestination(
            backend.account_id, backend.region_name, p["name"], p.get("outputFormat"), {"destinationResourceArn": "::xray"}, None
        )
        dest.delivery_destination_type = "XRAY"
        dest.delivery_destination_configuration = None  # type: ignore[assignment]  # X-Ray takes no destination resource
        backend.delivery_destinations[p["name"]] = dest
    else:
        if not config:
            raise Refused("deliveryDestinationConfiguration is required unless deliveryDestinationType is XRAY")
        dest = backend.put_delivery_destination(p["name"], p.get("outputFormat"), config, p.get("tags"))
    return {"deliveryDestination": dest.to_dict()}


OPERATIONS = (("PutDeliveryDestination", _put_delivery_destination),)
