resource "aws_bedrockagentcore_gateway" "debug" {
  name            = "debug"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
  exception_level = "DEBUG"
}
