resource "awscc_bedrockagentcore_gateway" "cc_debug" {
  name            = "cc-debug"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
  exception_level = "DEBUG"
}
