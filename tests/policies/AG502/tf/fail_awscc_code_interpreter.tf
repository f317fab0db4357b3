# awscc_bedrock_agent declares its action groups inline, as CloudFormation does
resource "awscc_bedrock_agent" "cc_analyst" {
  agent_name              = "cc-analyst"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  action_groups = [{
    action_group_name             = "code"
    parent_action_group_signature = "AMAZON.CodeInterpreter"
    action_group_state            = "ENABLED"
  }]
}
