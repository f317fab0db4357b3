# a custom Cost Anomaly Detection monitor on Amazon Bedrock's spend, with an immediate SNS subscription
resource "aws_ce_anomaly_monitor" "bedrock" {
  name         = "bedrock-spend"
  monitor_type = "CUSTOM"
  monitor_specification = jsonencode({
    Dimensions = { Key = "SERVICE", Values = ["Amazon Bedrock"], MatchOptions = ["EQUALS"] }
  })
}

resource "aws_ce_anomaly_subscription" "bedrock" {
  name             = "bedrock-anomalies"
  frequency        = "IMMEDIATE"
  monitor_arn_list = [aws_ce_anomaly_monitor.bedrock.arn]
  subscriber {
    type    = "SNS"
    address = "arn:aws:sns:us-east-1:123456789012:finops"
  }
  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = ["100"]
    }
  }
}

resource "aws_bedrockagentcore_agent_runtime" "watched" {
  agent_runtime_name = "watched_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
