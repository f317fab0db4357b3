# awscc: the guardrail resource's own version is its DRAFT, as in CloudFormation
resource "awscc_bedrock_guardrail" "cc_draft" {
  name                      = "cc-draft"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "awscc_bedrock_agent" "cc_on_draft" {
  agent_name              = "cc-on-draft"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration = {
    guardrail_identifier = awscc_bedrock_guardrail.cc_draft.guardrail_id
    guardrail_version    = awscc_bedrock_guardrail.cc_draft.version
  }
}
