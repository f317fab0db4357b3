resource "aws_bedrockagent_agent" "aws_owned" {
  agent_name              = "aws-owned"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_bedrockagent_agent" "aws_managed" {
  agent_name                  = "aws-managed"
  agent_resource_role_arn     = "arn:aws:iam::123456789012:role/agent"
  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"
  customer_encryption_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/aws/bedrock"
}

resource "aws_bedrockagent_data_source" "unencrypted" {
  knowledge_base_id = "KB12345678"
  name              = "unencrypted"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = "arn:aws:s3:::docs-bucket"
    }
  }
}
