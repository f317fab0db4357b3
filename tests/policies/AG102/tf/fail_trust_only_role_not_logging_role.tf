# aws_iam_role.handed_out: nothing here uses it, but it trusts Bedrock: judged as an agent role.
# aws_iam_role.invocation_logging: trusts Bedrock to write model invocation logs, and serves that only:
# not an agent role, not judged.
resource "aws_iam_role" "handed_out" {
  name = "handed-out-agent-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "invocation_logging" {
  name = "bedrock-invocation-logging"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_cloudwatch_log_group" "invocations" {
  name = "/bedrock/invocations"
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = true
    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocations.name
      role_arn       = aws_iam_role.invocation_logging.arn
    }
  }
}
