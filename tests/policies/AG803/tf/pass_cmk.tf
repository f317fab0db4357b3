resource "aws_kms_key" "agent" {
  description = "agent key"
}

resource "aws_kms_alias" "agent" {
  name          = "alias/agent"
  target_key_id = aws_kms_key.agent.key_id
}

resource "aws_bedrockagent_agent" "cmk" {
  agent_name                  = "cmk"
  agent_resource_role_arn     = "arn:aws:iam::123456789012:role/agent"
  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"
  customer_encryption_key_arn = aws_kms_key.agent.arn
}

# a customer alias (alias/aws/ is reserved for AWS-managed keys)
resource "aws_bedrockagent_data_source" "encrypted" {
  knowledge_base_id = "KB12345678"
  name              = "encrypted"
  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn = "arn:aws:s3:::docs-bucket"
    }
  }
  server_side_encryption_configuration {
    kms_key_arn = aws_kms_alias.agent.arn
  }
}
