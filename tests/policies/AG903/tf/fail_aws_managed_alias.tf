resource "aws_bedrockagentcore_memory" "aws_alias" {
  name                  = "aws_alias_memory"
  event_expiry_duration = 30
  encryption_key_arn    = "arn:aws:kms:us-east-1:123456789012:alias/aws/bedrock"
}
