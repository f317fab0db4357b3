"""moto patched once: the added operations registered, STS that refuses, denials, throttling, pages, enabled regions."""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from moto.bedrock.models import BedrockBackend
from moto.bedrock.responses import BedrockResponse
from moto.bedrockagent.models import AgentsforBedrockBackend
from moto.bedrockagent.responses import AgentsforBedrockResponse
from moto.core.responses import ActionResult, BaseResponse
from moto.iam.models import iam_backends
from moto.sts.exceptions import STSClientError
from moto.sts.models import STSBackend

from agentgov.demo.awsmock import bedrock as B
from agentgov.demo.awsmock import ec2_offerings, flows
from agentgov.demo.awsmock._common import _LOCK, AgentState, GuardrailState, _add, _remember_request, _service_error, _state

_INSTALLED = False
_DENIED: set[tuple[str, str, str]] = set()  # (account, botocore service name, operation)
_STRICT_STS = False
_ENABLED_REGIONS: dict[str, list[str]] = {}  # account -> the regions DescribeRegions answers
_THROTTLED: dict[tuple[str, str, str], int] = {}  # (account, service, operation) -> calls still to throttle


# ------------------------------------------------------------------ STS, denials


def _strict_assume_role(original: Callable[..., Any]) -> Callable[..., Any]:
    def assume_role(self: STSBackend, **kwargs: Any) -> Any:
        if _STRICT_STS:
            arn = kwargs["role_arn"]
            account, name = arn.split(":")[4], arn.rsplit("/", 1)[-1]
            roles = {r.name: r for r in iam_backends[account]["aws"].roles.values()}
            role = roles.get(name)
            denied = STSClientError("AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {arn}")
            if role is None:
                raise denied
            trust = json.loads(role.assume_role_policy_document)
            wanted = [
                v
                for st in trust.get("Statement", [])
                for v in [((st.get("Condition") or {}).get("StringEquals") or {}).get("sts:ExternalId")]
                if v is not None
            ]
            if wanted and kwargs.get("external_id") not in wanted:
                raise denied
        return original(self, **kwargs)

    return assume_role


def _denying_call_action(original: Callable[..., Any]) -> Callable[..., Any]:
    def call_action(self: BaseResponse) -> Any:
        if _THROTTLED:
            try:
                key = (self.current_account, self.boto3_service_name, self._get_action())
            except Exception:
                key = None
            left = 0
            if key is not None:
                with _LOCK:
                    left = _THROTTLED.get(key, 0)
                    if left:
                        _THROTTLED[key] = left - 1
            if left:
                from moto.core.utils import get_service_model

                model = get_service_model(self.boto3_service_name)
                code = "ThrottlingException" if model.protocol in ("json", "rest-json") else "Throttling"
                err = _service_error(self, code, "Rate exceeded (agentgov test throttling)")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _, headers, body = self.serialized(ActionResult(err))
                return 400, headers, body
        if _DENIED:
            try:
                action = self._get_action()
                account = self.current_account
            except Exception:  # not a request moto can name: leave it to moto
                return original(self)
            if (account, self.boto3_service_name, action) in _DENIED:
                from moto.core.utils import get_service_model

                model = get_service_model(self.boto3_service_name)
                # what AWS answers: JSON services AccessDeniedException, query ones AccessDenied, EC2 its own
                code = {"ec2": "UnauthorizedOperation"}.get(
                    self.boto3_service_name,
                    "AccessDeniedException" if model.protocol in ("json", "rest-json") else "AccessDenied",
                )
                err = _service_error(
                    self, code, f"not authorized to perform {self.boto3_service_name}:{action} (agentgov test denial)"
                )
                with warnings.catch_warnings():  # IAM's model has no AccessDenied shape; AWS sends it anyway
                    warnings.simplefilter("ignore")
                    _, headers, body = self.serialized(ActionResult(err))
                return 403, headers, body
        return original(self)

    return call_action


def _with_alias_arns(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def _list_arns(self: Any) -> list[str]:
        st = _state(self, AgentState)
        return original(self) + [a["agentAliasArn"] for aliases in st.aliases.values() for a in aliases] + flows.flow_arns(self)

    return _list_arns


def _get_function_without_listtags(original: Callable[..., str]) -> Callable[..., str]:
    """GetFunction answers ``Tags`` only to a caller that may also lambda:ListTags (AWS: "Lambda returns tag data
    only if you have explicit allow permissions for lambda:ListTags"); else ``TagsError``, and no ``Tags``."""

    def get_function(self: Any) -> str:
        body = original(self)
        if (self.current_account, "lambda", "ListTags") not in _DENIED:
            return body
        answer = json.loads(body)
        answer.pop("Tags", None)
        answer["TagsError"] = {"ErrorCode": "AccessDeniedException", "Message": "not authorized to perform lambda:ListTags"}
        return json.dumps(answer)

    return get_function


def _paged_list_functions(original: Callable[..., str]) -> Callable[..., str]:
    def list_functions(self: Any) -> str:
        out = json.loads(original(self))
        start = int((self.querystring.get("Marker") or ["0"])[0])
        size = int((self.querystring.get("MaxItems") or ["50"])[0])
        functions = out.get("Functions", [])
        out["Functions"] = functions[start : start + size]
        if start + size < len(functions):
            out["NextMarker"] = str(start + size)
        return json.dumps(out)

    return list_functions


def _result_dict(answer: ActionResult) -> dict[str, Any]:
    """The mapping a moto list operation answers with (moto types an ActionResult's result as object)."""
    result = answer.result
    if not isinstance(result, dict):
        raise TypeError(f"moto answered {type(result).__name__}, not a mapping")
    return result


def _paged_answer(
    original: Callable[..., Any],
    key: str,
    token: str = "nextToken",
    next_token: str = "nextToken",
    limit: str = "maxResults",
    truncated: str | None = None,
) -> Callable[..., Any]:
    """A list operation moto answers in one piece, answered in pages of ``limit`` items (``token`` in, ``next_token`` out)."""

    def paged(self: Any) -> Any:
        answer = original(self)
        full = dict(_result_dict(answer) if isinstance(answer, ActionResult) else json.loads(answer))
        start = int(self._get_param(token) or 0)
        size = int(self._get_param(limit) or 100)
        items = full.get(key) or []
        full[key] = items[start : start + size]
        full.pop(next_token, None)
        more = start + size < len(items)
        if more:
            full[next_token] = str(start + size)
        if truncated:
            full[truncated] = more
        return ActionResult(full)

    paged.__name__ = original.__name__
    return paged


def _paged_authorization_details(original: Callable[..., ActionResult]) -> Callable[..., ActionResult]:
    def get_account_authorization_details(self: Any) -> ActionResult:
        full = _result_dict(original(self))
        keys = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
        items = [(k, item) for k in keys for item in full.get(k, [])]
        start = int(self._get_param("Marker") or 0)
        size = int(self._get_param("MaxItems") or 100)
        page: dict[str, Any] = {k: [] for k in keys}
        for k, item in items[start : start + size]:
            page[k].append(item)
        page["IsTruncated"] = start + size < len(items)
        if page["IsTruncated"]:
            page["Marker"] = str(start + size)
        return ActionResult(page)

    return get_account_authorization_details


def install() -> None:
    """Add the missing operations to moto (idempotent; process-wide)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        ec2_offerings.lazy()  # before anything imports moto's EC2 models
        from moto.config.models import ConfigBackend
        from moto.config.responses import ConfigResponse

        from agentgov.demo.awsmock import config_service

        # the ignores of method-assign below: replacing moto's methods is what the completion does; the one of
        # attr-defined: an operation moto's response class does not have
        ConfigBackend.put_evaluations = config_service.keeping_put_evaluations(ConfigBackend.put_evaluations)  # type: ignore[method-assign]
        ConfigResponse.get_compliance_details_by_config_rule = config_service.get_compliance_details_by_config_rule  # type: ignore[attr-defined]
        # STS's and IAM's models have no AccessDenied shape; AWS sends the error anyway, and so does moto
        warnings.filterwarnings("ignore", message=r"Exception\(\w+\) with code AccessDenied does not match", category=UserWarning)
        for cls in (AgentsforBedrockResponse, BedrockResponse):
            cls.setup_class = _remember_request(cls.setup_class)  # type: ignore[method-assign]
        AgentsforBedrockResponse.create_agent = B._create_agent(AgentsforBedrockResponse.create_agent)  # type: ignore[method-assign]
        for op, impl in (
            ("GetAgent", B._get_agent),
            ("UpdateAgent", B._update_agent),
            ("PrepareAgent", B._prepare_agent),
            ("CreateAgentActionGroup", B._create_action_group),
            ("GetAgentActionGroup", B._get_action_group),
            ("ListAgentActionGroups", B._list_action_groups),
            ("CreateAgentAlias", B._create_alias),
            ("GetAgentAlias", B._get_alias),
            ("ListAgentAliases", B._list_aliases),
            ("ListAgentVersions", B._list_versions),
            ("GetAgentVersion", B._get_version),
            ("AssociateAgentKnowledgeBase", B._associate_kb),
            ("ListAgentKnowledgeBases", B._list_kbs),
            ("AssociateAgentCollaborator", B._associate_collaborator),
            ("ListAgentCollaborators", B._list_collaborators),
            ("CreateDataSource", B._create_data_source),
            ("GetDataSource", B._get_data_source),
            ("ListDataSources", B._list_data_sources),
            *flows.OPERATIONS,
        ):
            _add(AgentsforBedrockResponse, op, impl)
        for op, impl in (
            ("CreateGuardrail", B._create_guardrail),
            ("CreateGuardrailVersion", B._create_guardrail_version),
            ("GetGuardrail", B._get_guardrail),
            ("ListGuardrails", B._list_guardrails),
        ):
            _add(BedrockResponse, op, impl)
        AgentsforBedrockBackend._list_arns = _with_alias_arns(AgentsforBedrockBackend._list_arns)  # type: ignore[method-assign]
        _orig_bedrock_arns = BedrockBackend._list_arns

        def _bedrock_arns(self: Any) -> list[str]:
            st = _state(self, GuardrailState)
            return _orig_bedrock_arns(self) + [v["DRAFT"]["guardrailArn"] for v in st.guardrails.values()]

        BedrockBackend._list_arns = _bedrock_arns  # type: ignore[method-assign]
        from moto.awslambda.responses import LambdaResponse
        from moto.iam.responses import IamResponse

        LambdaResponse.list_functions = _paged_list_functions(LambdaResponse.list_functions)  # type: ignore[method-assign]
        LambdaResponse.get_function = _get_function_without_listtags(LambdaResponse.get_function)  # type: ignore[method-assign]
        IamResponse.get_account_authorization_details = _paged_authorization_details(  # type: ignore[method-assign]
            IamResponse.get_account_authorization_details
        )
        from agentgov.demo.awsmock import iam_credentials  # Bedrock API keys (service-specific credentials)

        IamResponse.setup_class = _remember_request(IamResponse.setup_class)  # type: ignore[method-assign]
        for op, impl in iam_credentials.OPERATIONS:
            _add(IamResponse, op, impl)
        from agentgov.demo.awsmock import iam_last_accessed  # IAM service last accessed (AG111)

        for op, impl in iam_last_accessed.OPERATIONS:
            _add(IamResponse, op, impl)
        from moto.bedrockagentcorecontrol.responses import BedrockAgentCoreControlResponse as Core

        for method, key in (
            ("list_agent_runtimes", "agentRuntimes"),
            ("list_gateways", "items"),
            ("list_gateway_targets", "items"),
            ("list_memories", "memories"),
        ):
            setattr(Core, method, _paged_answer(getattr(Core, method), key))
        # code interpreters, browsers, policy engines and policies; runtime endpoints in pages; enforced guardrails;
        # Organizations' Bedrock policies and effective policies
        from agentgov.demo.awsmock import agentcore_tools, enforced_guardrails, foundation_models, organizations

        Core.setup_class = _remember_request(Core.setup_class)  # type: ignore[method-assign]
        for op, impl in agentcore_tools.OPERATIONS:
            _add(Core, op, impl)
        Core.list_agent_runtime_endpoints = _paged_answer(Core.list_agent_runtime_endpoints, "runtimeEndpoints")  # type: ignore[method-assign]
        for op, impl in enforced_guardrails.OPERATIONS + foundation_models.OPERATIONS:
            _add(BedrockResponse, op, impl)
        # imported models and batch-inference jobs; customization jobs with the key their request named (AG807)
        from agentgov.demo.awsmock import bedrock_models

        for op, impl in bedrock_models.OPERATIONS:
            _add(BedrockResponse, op, impl)
        BedrockBackend.create_model_customization_job = bedrock_models.with_requested_key(  # type: ignore[method-assign]
            BedrockBackend.create_model_customization_job
        )
        BedrockBackend.get_model_customization_job = bedrock_models.by_arn(BedrockBackend.get_model_customization_job)  # type: ignore[method-assign]
        # OpenSearch Serverless collections with the key their encryption configuration or policy gives them
        from moto.opensearchserverless.responses import OpenSearchServiceServerlessResponse as Aoss

        from agentgov.demo.awsmock import opensearch_serverless

        Aoss.setup_class = _remember_request(Aoss.setup_class)  # type: ignore[method-assign]
        for op, impl in opensearch_serverless.OPERATIONS:
            _add(Aoss, op, impl)
        organizations.install()
        from moto.logs.models import LogGroup, LogsBackend
        from moto.logs.responses import LogsResponse

        from agentgov.demo.awsmock import log_delivery, logs_protection

        LogsResponse.setup_class = _remember_request(LogsResponse.setup_class)  # type: ignore[method-assign]
        for op, impl in logs_protection.OPERATIONS + log_delivery.OPERATIONS:
            _add(LogsResponse, op, impl)
        LogsBackend.put_delivery_source = log_delivery.agentcore_sources(LogsBackend.put_delivery_source)  # type: ignore[method-assign]
        LogGroup.to_describe_dict = logs_protection.with_protection_status(LogGroup.to_describe_dict)  # type: ignore[method-assign]
        # moto answers these lists whole, whatever the page size: answered in pages, as AWS does
        for method, key in (
            ("describe_delivery_sources", "deliverySources"),
            ("describe_deliveries", "deliveries"),
            ("describe_delivery_destinations", "deliveryDestinations"),
        ):
            setattr(LogsResponse, method, _paged_answer(getattr(LogsResponse, method), key, limit="limit"))
        from moto.ec2.responses.subnets import Subnets
        from moto.ecr.responses import ECRResponse

        ECRResponse.describe_repositories = _paged_answer(ECRResponse.describe_repositories, "repositories")  # type: ignore[method-assign]
        Subnets.describe_subnets = _paged_answer(Subnets.describe_subnets, "Subnets", "NextToken", "NextToken", "MaxResults")  # type: ignore[method-assign]
        from moto.budgets.responses import BudgetsResponse

        BudgetsResponse.describe_budgets = _paged_answer(  # type: ignore[method-assign]
            BudgetsResponse.describe_budgets, "Budgets", "NextToken", "NextToken", "MaxResults"
        )
        BudgetsResponse.describe_notifications_for_budget = _paged_answer(  # type: ignore[method-assign]
            BudgetsResponse.describe_notifications_for_budget, "Notifications", "NextToken", "NextToken", "MaxResults"
        )
        from moto.ce.responses import CostExplorerResponse

        from agentgov.demo.awsmock import cost_anomaly  # Cost Anomaly Detection monitors and subscriptions

        CostExplorerResponse.setup_class = _remember_request(CostExplorerResponse.setup_class)  # type: ignore[method-assign]
        for op, impl in cost_anomaly.OPERATIONS:
            _add(CostExplorerResponse, op, impl)
        from moto.ec2.responses.route_tables import RouteTables

        RouteTables.describe_route_tables = _paged_answer(  # type: ignore[method-assign]
            RouteTables.describe_route_tables, "RouteTables", "NextToken", "NextToken", "MaxResults"
        )
        from moto.s3.models import S3Backend

        _list_buckets = S3Backend.list_buckets

        def list_buckets(self: Any, prefix: str | None, bucket_region: str | None, max_buckets: str | None) -> Any:
            # moto cuts the list at MaxBuckets without a ContinuationToken (the rest would be lost): answer it whole
            return _list_buckets(self, prefix, bucket_region, None)

        S3Backend.list_buckets = list_buckets  # type: ignore[method-assign]
        from moto.kms.responses import KmsResponse

        for method, key in (("list_keys", "Keys"), ("list_resource_tags", "Tags")):
            setattr(
                KmsResponse,
                method,
                _paged_answer(getattr(KmsResponse, method), key, "Marker", "NextMarker", "Limit", "Truncated"),
            )
        from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

        _describe_regions = RegionsAndZonesBackend.describe_regions

        def describe_regions(self: Any, region_names: list[str] | None = None) -> Any:
            regions = _describe_regions(self, region_names)
            enabled = _ENABLED_REGIONS.get(self.account_id)
            return regions if enabled is None else [r for r in regions if r.name in enabled]

        RegionsAndZonesBackend.describe_regions = describe_regions  # type: ignore[method-assign]
        STSBackend.assume_role = _strict_assume_role(STSBackend.assume_role)  # type: ignore[method-assign]
        BaseResponse.call_action = _denying_call_action(BaseResponse.call_action)  # type: ignore[method-assign]
        from agentgov.demo.awsmock import securityhub as _securityhub  # BatchImportFindings / GetFindings as AWS answers them
        from agentgov.demo.awsmock import tagging  # GetResources of Bedrock resources, buckets by region; BucketRegion

        tagging.install()

        _securityhub.install()
        _INSTALLED = True


@contextlib.contextmanager
def strict_sts() -> Iterator[None]:
    """AssumeRole fails for a missing role or a wrong external id while this is active."""
    global _STRICT_STS
    _STRICT_STS = True
    try:
        yield
    finally:
        _STRICT_STS = False


def deny(account: str, service: str, operation: str) -> None:
    """``service`` (botocore name, e.g. ``bedrock-agent``) ``operation`` answers AccessDenied in ``account``."""
    _DENIED.add((account, service, operation))


def enable_regions(account: str, regions: list[str]) -> None:
    """Only ``regions`` are enabled in ``account`` (what DescribeRegions answers there)."""
    _ENABLED_REGIONS[account] = list(regions)


def throttle(account: str, service: str, operation: str, times: int) -> None:
    """The next ``times`` calls of ``operation`` in ``account`` answer a throttling error (then it answers again)."""
    _THROTTLED[(account, service, operation)] = times


def reset() -> None:
    """Forget denials, throttling and enabled regions (the fixture calls it after each test)."""
    _DENIED.clear()
    _THROTTLED.clear()
    _ENABLED_REGIONS.clear()
