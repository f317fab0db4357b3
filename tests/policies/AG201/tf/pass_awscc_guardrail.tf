# Terraform's Cloud Control provider (awscc) spells the agent as CloudFormation does: guardrail_configuration is an object
resource "awscc_bedrock_guardrail" "cc" {
  name                      = "cc"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config = {
    filters_config = [{ type = "PROMPT_ATTACK", input_strength = "HIGH", output_strength = "NONE" }]
  }
}

resource "awscc_bedrock_guardrail_version" "cc" {
  guardrail_identifier = awscc_bedrock_guardrail.cc.guardrail_id
}

resource "awscc_bedrock_agent" "cc_guarded" {
  agent_name              = "cc-guarded"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration = {
    guardrail_identifier = awscc_bedrock_guardrail.cc.guardrail_id
    guardrail_version    = awscc_bedrock_guardrail_version.cc.version
  }
}
