variable "gateway_authorizer_type" {
  type = string
}

resource "aws_bedrockagentcore_gateway" "configurable" {
  name            = "configurable"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = var.gateway_authorizer_type
  protocol_type   = "MCP"
}
