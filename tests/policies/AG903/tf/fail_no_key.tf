resource "aws_bedrockagentcore_memory" "plain" {
  name                  = "plain_memory"
  event_expiry_duration = 30
}

resource "aws_bedrockagentcore_gateway" "plain" {
  name            = "plain"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_policy_engine" "plain" {
  name = "plain_engine"
}

variable "memory_kms_key_arn" {
  type    = string
  default = null
}

resource "aws_bedrockagentcore_memory" "null_key_by_default" {
  name                  = "null_key_memory"
  event_expiry_duration = 30
  encryption_key_arn    = var.memory_kms_key_arn
}
