# the Cloud Control provider's IAM role (CloudFormation's attribute names in snake_case): an agent role like
# any other: its inline policy grants one read-only invocation action
resource "awscc_iam_role" "runtime" {
  role_name = "awscc-runtime"
  assume_role_policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "bedrock-agentcore.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }]
  })
  policies = [{
    policy_name = "invoke"
    policy_document = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "bedrock:InvokeModel", Resource = "*" }]
    })
  }]
}

resource "awscc_bedrockagentcore_runtime" "awscc" {
  agent_runtime_name = "awscc_runtime"
  role_arn           = awscc_iam_role.runtime.arn
  agent_runtime_artifact = {
    container_configuration = { container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:1" }
  }
  network_configuration = { network_mode = "PUBLIC" }
}
