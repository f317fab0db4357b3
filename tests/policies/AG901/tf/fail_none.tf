resource "aws_bedrockagentcore_gateway" "open" {
  name            = "open"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "NONE"
  protocol_type   = "MCP"
}

variable "authorizer" {
  type    = string
  default = "NONE"
}

resource "aws_bedrockagentcore_gateway" "open_by_default" {
  name            = "open-by-default"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = var.authorizer
  protocol_type   = "MCP"
}
