resource "aws_bedrockagent_agent" "watched" {
  agent_name              = "watched"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = "acme-trail"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  advanced_event_selector {
    name = "bedrock-agents"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Bedrock::AgentAlias", "AWS::BedrockAgentCore::Runtime"]
    }
  }
}
