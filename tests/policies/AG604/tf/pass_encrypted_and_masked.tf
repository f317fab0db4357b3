resource "aws_kms_key" "gateway_logs" {}

resource "aws_cloudwatch_log_group" "gateway" {
  name       = "/aws/vendedlogs/bedrock-agentcore/gateway/orders"
  kms_key_id = aws_kms_key.gateway_logs.arn
}

resource "aws_cloudwatch_log_data_protection_policy" "gateway" {
  log_group_name = aws_cloudwatch_log_group.gateway.name
  policy_document = jsonencode({
    Name    = "mask"
    Version = "2021-06-01"
    Statement = [{
      Sid            = "mask"
      DataIdentifier = ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"]
      Operation      = { Deidentify = { MaskConfig = {} } }
    }]
  })
}
