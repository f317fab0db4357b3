resource "aws_bedrockagentcore_gateway" "open" {
  name            = "open-tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}
