resource "aws_kms_key" "secrets" {
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "crm" {
  name       = "tools/crm"
  kms_key_id = aws_kms_key.secrets.arn
}

resource "aws_secretsmanager_secret_rotation" "crm" {
  secret_id           = aws_secretsmanager_secret.crm.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_lambda_function" "crm" {
  function_name = "crm"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  environment {
    variables = {
      CRM_SECRET_ARN = aws_secretsmanager_secret.crm.arn
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "crm" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "crm"
  action_group_executor {
    lambda = aws_lambda_function.crm.arn
  }
}
