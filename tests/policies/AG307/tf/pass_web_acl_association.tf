resource "aws_bedrockagentcore_gateway" "guarded" {
  name            = "guarded-tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
}

resource "aws_wafv2_web_acl_association" "guarded" {
  resource_arn = aws_bedrockagentcore_gateway.guarded.gateway_arn
  web_acl_arn  = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/gateway/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
}
