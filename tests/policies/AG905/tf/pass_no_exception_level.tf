resource "aws_bedrockagentcore_gateway" "quiet" {
  name            = "quiet"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

variable "exception_level" {
  type    = string
  default = null
}

resource "aws_bedrockagentcore_gateway" "null_by_default" {
  name            = "null-by-default"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
  exception_level = var.exception_level
}
