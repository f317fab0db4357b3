# the log group of model invocation logging (any name): no key, no data-protection policy
resource "aws_cloudwatch_log_group" "invocations" {
  name = "model-invocations"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = true
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocations.name
      role_arn       = "arn:aws:iam::123456789012:role/bedrock-logging"
    }
  }
}

# encrypted, and its separate data-protection policy only audits
resource "aws_kms_key" "logs" {}

resource "aws_cloudwatch_log_group" "runtime" {
  name       = "/aws/bedrock-agentcore/runtimes/orders-DEFAULT"
  kms_key_id = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_data_protection_policy" "runtime" {
  log_group_name = aws_cloudwatch_log_group.runtime.name
  policy_document = jsonencode({
    Name    = "audit"
    Version = "2021-06-01"
    Statement = [{
      Sid            = "audit"
      DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"]
      Operation      = { Audit = { FindingsDestination = {} } }
    }]
  })
}
