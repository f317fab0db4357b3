variable "gateway_exception_level" {
  type = string
}

resource "aws_bedrockagentcore_gateway" "configurable" {
  name            = "configurable"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
  exception_level = var.gateway_exception_level
}
