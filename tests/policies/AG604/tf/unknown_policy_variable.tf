variable "data_protection_policy" {
  type = string
}

resource "aws_kms_key" "memory_logs" {}

# encrypted; the data-protection policy document comes from a variable without a default
resource "aws_cloudwatch_log_group" "memory" {
  name       = "/aws/vendedlogs/bedrock-agentcore/memory/orders"
  kms_key_id = aws_kms_key.memory_logs.arn
}

resource "aws_cloudwatch_log_data_protection_policy" "memory" {
  log_group_name  = aws_cloudwatch_log_group.memory.name
  policy_document = var.data_protection_policy
}
