variable "log_type" {
  type = string
}

resource "aws_bedrockagentcore_memory" "notes" {
  name                  = "notes"
  event_expiry_duration = 30
}

resource "aws_cloudwatch_log_delivery_source" "notes" {
  name         = "notes"
  log_type     = var.log_type
  resource_arn = aws_bedrockagentcore_memory.notes.arn
}

resource "aws_cloudwatch_log_delivery_destination" "notes_traces" {
  name                      = "notes-traces"
  delivery_destination_type = "XRAY"
}

resource "aws_cloudwatch_log_delivery" "notes" {
  delivery_source_name     = aws_cloudwatch_log_delivery_source.notes.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.notes_traces.arn
}
