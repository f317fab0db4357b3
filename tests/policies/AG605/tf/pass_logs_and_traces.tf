resource "aws_bedrockagentcore_gateway" "tools" {
  name            = "tools"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  protocol_type   = "MCP"
  authorizer_type = "AWS_IAM"
}

resource "aws_cloudwatch_log_group" "tools" {
  name = "/aws/vendedlogs/bedrock-agentcore/gateway/tools"
}

resource "aws_cloudwatch_log_delivery_source" "logs" {
  name         = "tools-logs"
  log_type     = "APPLICATION_LOGS"
  resource_arn = aws_bedrockagentcore_gateway.tools.gateway_arn
}

resource "aws_cloudwatch_log_delivery_source" "traces" {
  name         = "tools-traces"
  log_type     = "TRACES"
  resource_arn = aws_bedrockagentcore_gateway.tools.gateway_arn
}

resource "aws_cloudwatch_log_delivery_destination" "logs" {
  name = "tools-logs"
  delivery_destination_configuration {
    destination_resource_arn = aws_cloudwatch_log_group.tools.arn
  }
}

resource "aws_cloudwatch_log_delivery_destination" "traces" {
  name                      = "tools-traces"
  delivery_destination_type = "XRAY"
}

resource "aws_cloudwatch_log_delivery" "logs" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.logs.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.logs.arn
}

resource "aws_cloudwatch_log_delivery" "traces" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.traces.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.traces.arn
}
