data "aws_region" "current" {}

resource "aws_bedrockagent_agent" "by_id" {
  agent_name              = "by-id"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "amazon.nova-pro-v1:0"
}

resource "aws_bedrockagent_agent" "by_arn" {
  agent_name              = "by-arn"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "arn:aws:bedrock:${data.aws_region.current.name}::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"
}

resource "aws_bedrockagent_agent" "by_profile" {
  agent_name              = "by-profile"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "us.anthropic.claude-3-haiku-20240307-v1:0"
}

# the data source echoes its model_id: the files settle the model
data "aws_bedrock_foundation_model" "nova" {
  model_id = "amazon.nova-pro-v1:0"
}

resource "aws_bedrockagent_agent" "by_data_source" {
  agent_name              = "by-data-source"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = data.aws_bedrock_foundation_model.nova.model_id
}

# an application inference profile copying a cross-region profile of an approved model
resource "aws_bedrock_inference_profile" "team" {
  name = "team"
  model_source {
    copy_from = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"
  }
}

resource "aws_bedrockagent_agent" "by_app_profile" {
  agent_name              = "by-app-profile"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = aws_bedrock_inference_profile.team.arn
}
