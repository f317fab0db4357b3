resource "aws_bedrockagent_agent" "quiet" {
  agent_name              = "quiet"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

# logging on, but prompts and completions (text) are not delivered
resource "aws_bedrock_model_invocation_logging_configuration" "images_only" {
  logging_config {
    text_data_delivery_enabled  = false
    image_data_delivery_enabled = true
    s3_config {
      bucket_name = "acme-bedrock-logs"
    }
  }
}
