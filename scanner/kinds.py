"""Which native resource types become which normalized kinds.

One table for every source: CloudFormation types, Terraform types and the
live collectors all map onto the same kind names, so a policy written for
``agent`` judges a Bedrock agent however it was found.
"""

from __future__ import annotations

# kind -> (CloudFormation types, Terraform types)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agent": (("AWS::Bedrock::Agent",), ("aws_bedrockagent_agent",)),
    "agent_alias": (("AWS::Bedrock::AgentAlias",), ("aws_bedrockagent_agent_alias",)),
    "agent_version": (("AWS::Bedrock::AgentVersion",), ("aws_bedrockagent_agent_version",)),
    "action_group": ((), ("aws_bedrockagent_agent_action_group",)),
    "agent_collaborator": ((), ("aws_bedrockagent_agent_collaborator",)),
    "knowledge_base": (("AWS::Bedrock::KnowledgeBase",), ("aws_bedrockagent_knowledge_base",)),
    "knowledge_base_association": ((), ("aws_bedrockagent_agent_knowledge_base_association",)),
    "data_source": (("AWS::Bedrock::DataSource",), ("aws_bedrockagent_data_source",)),
    "guardrail": (("AWS::Bedrock::Guardrail",), ("aws_bedrock_guardrail",)),
    "guardrail_version": (("AWS::Bedrock::GuardrailVersion",), ("aws_bedrock_guardrail_version",)),
    "invocation_logging": ((), ("aws_bedrock_model_invocation_logging_configuration",)),
    # what else a role that trusts Bedrock may serve (POLICIES.md: such a role is not an agent role)
    "flow": (("AWS::Bedrock::Flow",), ("aws_bedrockagent_flow",)),
    # a published version of a flow: a snapshot of the flow's definition (the aws provider has no resource for one)
    "flow_version": (("AWS::Bedrock::FlowVersion",), ()),
    # a custom model (Terraform's aws_bedrock_custom_model is its customization job and the model it makes; CloudFormation
    # has no resource type for either: none in cfn-lint's schemas), an imported model (no IaC form in either family), a
    # customization job (live; in Terraform, the custom model), a batch-inference job (AG807)
    "custom_model": ((), ("aws_bedrock_custom_model",)),
    "imported_model": ((), ()),
    "model_customization_job": ((), ()),
    "model_invocation_job": ((), ("aws_bedrock_model_invocation_job",)),
    "notebook": (("AWS::SageMaker::NotebookInstance",), ("aws_sagemaker_notebook_instance",)),
    "inference_profile": (("AWS::Bedrock::ApplicationInferenceProfile",), ("aws_bedrock_inference_profile",)),
    "agent_runtime": (("AWS::BedrockAgentCore::Runtime",), ("aws_bedrockagentcore_agent_runtime",)),
    "agent_runtime_endpoint": (
        ("AWS::BedrockAgentCore::RuntimeEndpoint",),
        ("aws_bedrockagentcore_agent_runtime_endpoint",),
    ),
    "gateway": (("AWS::BedrockAgentCore::Gateway",), ("aws_bedrockagentcore_gateway",)),
    "gateway_target": (("AWS::BedrockAgentCore::GatewayTarget",), ("aws_bedrockagentcore_gateway_target",)),
    "memory": (("AWS::BedrockAgentCore::Memory",), ("aws_bedrockagentcore_memory",)),
    "code_interpreter": (
        ("AWS::BedrockAgentCore::CodeInterpreterCustom",),
        ("aws_bedrockagentcore_code_interpreter",),
    ),
    "browser": (("AWS::BedrockAgentCore::BrowserCustom",), ("aws_bedrockagentcore_browser",)),
    "policy_engine": (("AWS::BedrockAgentCore::PolicyEngine",), ("aws_bedrockagentcore_policy_engine",)),
    # the resource-based policy of a runtime (and its endpoints) or a gateway (AG306)
    "agentcore_resource_policy": (
        ("AWS::BedrockAgentCore::ResourcePolicy",),
        ("aws_bedrockagentcore_resource_policy",),
    ),
    "role": (("AWS::IAM::Role",), ("aws_iam_role",)),
    # an IAM user: whose Bedrock API keys (service-specific credentials, AG109) act with its permissions
    "user": (("AWS::IAM::User",), ("aws_iam_user",)),
    # a service-specific credential: for bedrock.amazonaws.com, a long-term Bedrock API key (AG109); CloudFormation has no
    # resource type for one (none in cfn-lint's schemas), so only Terraform and live accounts show them
    "service_credential": ((), ("aws_iam_service_specific_credential",)),
    # an IAM group: its policies are its users' (AG109, AG110); who is in it: a user's groups, or a membership
    "group": (("AWS::IAM::Group",), ("aws_iam_group",)),
    "group_membership": (
        ("AWS::IAM::UserToGroupAddition",),
        ("aws_iam_user_group_membership", "aws_iam_group_membership"),
    ),
    # an inline policy of a role, user or group written as a resource of its own
    "role_policy": (
        ("AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy"),
        ("aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"),
    ),
    "managed_policy": (("AWS::IAM::ManagedPolicy",), ("aws_iam_policy",)),
    "policy_attachment": (
        (),
        (
            "aws_iam_role_policy_attachment",
            "aws_iam_policy_attachment",
            "aws_iam_role_policy_attachments_exclusive",
            "aws_iam_user_policy_attachment",
            "aws_iam_user_policy_attachments_exclusive",
            "aws_iam_group_policy_attachment",
            "aws_iam_group_policy_attachments_exclusive",
        ),
    ),
    "function": (("AWS::Lambda::Function", "AWS::Serverless::Function"), ("aws_lambda_function",)),
    "function_permission": (("AWS::Lambda::Permission",), ("aws_lambda_permission",)),
    # an alias or a published version of a function: invoking it runs the function (and its role)
    "function_alias": (("AWS::Lambda::Alias",), ("aws_lambda_alias",)),
    "function_version": (("AWS::Lambda::Version",), ()),
    "vpc_endpoint": (("AWS::EC2::VPCEndpoint",), ("aws_vpc_endpoint",)),
    "secret": (("AWS::SecretsManager::Secret",), ("aws_secretsmanager_secret",)),
    "ssm_parameter": (("AWS::SSM::Parameter",), ("aws_ssm_parameter",)),
    "kms_key": (("AWS::KMS::Key",), ("aws_kms_key",)),
    "bucket": (("AWS::S3::Bucket",), ("aws_s3_bucket",)),
    "bucket_object_lock": ((), ("aws_s3_bucket_object_lock_configuration",)),
    "bucket_public_access_block": ((), ("aws_s3_bucket_public_access_block",)),
    "bucket_versioning": ((), ("aws_s3_bucket_versioning",)),
    "trail": (("AWS::CloudTrail::Trail",), ("aws_cloudtrail",)),
    "alarm": (("AWS::CloudWatch::Alarm",), ("aws_cloudwatch_metric_alarm",)),
    # the other runaway-cost tripwires AG651 accepts: an AWS Budgets budget, a Cost Anomaly Detection monitor and
    # the subscription that notifies on it
    "budget": (("AWS::Budgets::Budget",), ("aws_budgets_budget",)),
    "anomaly_monitor": (("AWS::CE::AnomalyMonitor",), ("aws_ce_anomaly_monitor",)),
    "anomaly_subscription": (("AWS::CE::AnomalySubscription",), ("aws_ce_anomaly_subscription",)),
    "log_group": (("AWS::Logs::LogGroup",), ("aws_cloudwatch_log_group",)),
    # Terraform's separate data-protection policy of a log group (folded into the log group by the graph)
    "log_data_protection_policy": ((), ("aws_cloudwatch_log_data_protection_policy",)),
    # CloudWatch Logs delivery (vended logs and traces of AgentCore resources): source -> delivery -> destination
    "log_delivery_source": (("AWS::Logs::DeliverySource",), ("aws_cloudwatch_log_delivery_source",)),
    "log_delivery": (("AWS::Logs::Delivery",), ("aws_cloudwatch_log_delivery",)),
    "log_delivery_destination": (("AWS::Logs::DeliveryDestination",), ("aws_cloudwatch_log_delivery_destination",)),
    "table": (("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"), ("aws_dynamodb_table",)),
    "template_parameter": (("AWS::CloudFormation::Parameter",), ("variable",)),  # TF: input variable blocks
    "subnet": (("AWS::EC2::Subnet",), ("aws_subnet",)),
    "vpc": (("AWS::EC2::VPC",), ("aws_vpc",)),
    # where a subnet's traffic goes (AG304: a VPC-mode runtime's subnets have no route to an internet gateway): a
    # route table (Terraform's aws_default_route_table is its VPC's main one), its routes (inline or their own
    # resources), its associations with subnets (Terraform's main association names a VPC), and internet gateways
    "route_table": (("AWS::EC2::RouteTable",), ("aws_route_table", "aws_default_route_table")),
    "route": (("AWS::EC2::Route",), ("aws_route",)),
    "route_table_association": (
        ("AWS::EC2::SubnetRouteTableAssociation",),
        ("aws_route_table_association", "aws_main_route_table_association"),
    ),
    "internet_gateway": (
        ("AWS::EC2::InternetGateway", "AWS::EC2::EgressOnlyInternetGateway"),
        ("aws_internet_gateway", "aws_egress_only_internet_gateway"),
    ),
    "vpc_endpoint_policy": ((), ("aws_vpc_endpoint_policy",)),
    "secret_rotation": (("AWS::SecretsManager::RotationSchedule",), ("aws_secretsmanager_secret_rotation",)),
    # an AWS WAF web ACL's association with a resource (a gateway: AG307)
    "waf_association": (("AWS::WAFv2::WebACLAssociation",), ("aws_wafv2_web_acl_association",)),
    # the repository of a runtime's container image and the registry's scanning configuration (AG907)
    "ecr_repository": (("AWS::ECR::Repository",), ("aws_ecr_repository",)),
    "ecr_scanning_configuration": (
        ("AWS::ECR::RegistryScanningConfiguration",),
        ("aws_ecr_registry_scanning_configuration",),
    ),
    # a knowledge base's vector store (OpenSearch Serverless) and the encryption / network policies that cover it
    "aoss_collection": (("AWS::OpenSearchServerless::Collection",), ("aws_opensearchserverless_collection",)),
    "aoss_security_policy": (
        ("AWS::OpenSearchServerless::SecurityPolicy",),
        ("aws_opensearchserverless_security_policy",),
    ),
    # account-level controls AG206 counts on live accounts (IaC judges the agent's own configuration)
    "enforced_guardrail": (("AWS::Bedrock::EnforcedGuardrailConfiguration",), ()),
    "org_policy": (("AWS::Organizations::Policy",), ("aws_organizations_policy",)),
    "org_effective_policy": ((), ()),  # live only: what Organizations computes for an account (DescribeEffectivePolicy)
    # live only: when a role last used each service it may use (IAM service last accessed, AG111)
    "role_last_accessed": ((), ()),
}

TYPE_TO_KIND: dict[str, str] = {}
for _kind, (_cfn, _tf) in KINDS.items():
    for _t in _cfn + _tf:
        TYPE_TO_KIND[_t] = _kind

# Terraform's Cloud Control provider (awscc) names attributes as CloudFormation does, in
# snake_case, with nested objects as maps: the attribute paths of the aws provider read them.
AWSCC_TYPES: dict[str, str] = {
    "awscc_bedrockagentcore_runtime": "agent_runtime",
    "awscc_bedrockagentcore_gateway": "gateway",
    "awscc_bedrockagentcore_gateway_target": "gateway_target",
    "awscc_bedrockagentcore_memory": "memory",
    "awscc_bedrockagentcore_code_interpreter_custom": "code_interpreter",
    "awscc_bedrockagentcore_browser_custom": "browser",
    "awscc_bedrockagentcore_policy_engine": "policy_engine",
    "awscc_bedrockagentcore_runtime_endpoint": "agent_runtime_endpoint",
    "awscc_bedrockagentcore_resource_policy": "agentcore_resource_policy",
    "awscc_bedrock_agent": "agent",  # action_groups inline, as in CloudFormation
    "awscc_bedrock_agent_alias": "agent_alias",
    "awscc_bedrock_guardrail": "guardrail",
    "awscc_bedrock_guardrail_version": "guardrail_version",
    "awscc_bedrock_knowledge_base": "knowledge_base",
    "awscc_bedrock_data_source": "data_source",
    "awscc_bedrock_application_inference_profile": "inference_profile",
    "awscc_bedrock_flow": "flow",
    "awscc_bedrock_flow_version": "flow_version",
    "awscc_iam_role": "role",
    "awscc_opensearchserverless_collection": "aoss_collection",
    "awscc_ecr_repository": "ecr_repository",
    "awscc_opensearchserverless_security_policy": "aoss_security_policy",  # assume_role_policy_document, policies [{policy_name, policy_document}], ...
}
TYPE_TO_KIND.update(AWSCC_TYPES)

#: kinds a policy may target that the graph computes from edges
QUALIFIED_KINDS = {
    "agent_role": "role",  # a role that an agent, KB, action-group function or AgentCore resource assumes
    "agent_function": "function",  # a Lambda function an action group names, or Bedrock may invoke
    "agent_vpc_endpoint": "vpc_endpoint",  # an interface endpoint in a VPC hosting agent compute, or to a Bedrock service
    "agent_secret": "secret",  # a secret an agent function, agent role or agentic resource reads
    "secret_parameter": "template_parameter",  # a template parameter / input variable that looks like a secret
    "agent_table": "table",  # a DynamoDB table an agent's code reaches (function/runtime environment or role policy)
    "knowledge_base_bucket": "bucket",  # an S3 bucket a knowledge-base data source reads
    # a log group of model invocation logging, or of Bedrock / AgentCore (its name under /aws/bedrock...)
    "agent_log_group": "log_group",
}

ALL_KINDS = set(KINDS) | set(QUALIFIED_KINDS)

#: kinds of agentic resources (AG801's scope, the inventory's)
AGENT_KINDS = ("agent", "agent_runtime")
