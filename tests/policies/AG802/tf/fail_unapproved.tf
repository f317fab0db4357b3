resource "aws_bedrockagent_agent" "old_model" {
  agent_name              = "old-model"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-opus-20240229-v1:0"
}

resource "aws_bedrockagent_agent" "custom_model" {
  agent_name              = "custom-model"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghijkl"
}
