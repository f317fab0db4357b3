variable "gateway_policy" {
  type = string
}

resource "aws_bedrockagentcore_gateway" "chosen" {
  name            = "chosen-tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_bedrockagentcore_resource_policy" "chosen" {
  resource_arn = aws_bedrockagentcore_gateway.chosen.gateway_arn
  policy       = var.gateway_policy
}
