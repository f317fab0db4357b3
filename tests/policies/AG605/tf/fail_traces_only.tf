# traces to X-Ray, no application logs
resource "aws_bedrockagentcore_code_interpreter" "sandbox" {
  name = "sandbox"
  network_configuration {
    network_mode = "SANDBOX"
  }
}

resource "aws_cloudwatch_log_delivery_source" "sandbox_traces" {
  name         = "sandbox-traces"
  log_type     = "TRACES"
  resource_arn = aws_bedrockagentcore_code_interpreter.sandbox.code_interpreter_arn
}

resource "aws_cloudwatch_log_delivery_destination" "sandbox_traces" {
  name                      = "sandbox-traces"
  delivery_destination_type = "XRAY"
}

resource "aws_cloudwatch_log_delivery" "sandbox_traces" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.sandbox_traces.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.sandbox_traces.arn
}
