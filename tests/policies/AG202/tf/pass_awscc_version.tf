resource "awscc_bedrock_guardrail" "cc_pub" {
  name                      = "cc-pub"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}

resource "awscc_bedrock_guardrail_version" "cc_pub" {
  guardrail_identifier = awscc_bedrock_guardrail.cc_pub.guardrail_id
}

resource "awscc_bedrock_agent" "cc_on_version" {
  agent_name              = "cc-on-version"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  guardrail_configuration = {
    guardrail_identifier = awscc_bedrock_guardrail.cc_pub.guardrail_id
    guardrail_version    = awscc_bedrock_guardrail_version.cc_pub.version
  }
}
