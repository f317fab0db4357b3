resource "aws_bedrockagentcore_agent_runtime" "watched" {
  agent_runtime_name = "watched"
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

resource "aws_sns_topic" "on_call" {
  name = "on-call"
}

resource "aws_cloudwatch_metric_alarm" "tokens" {
  alarm_name          = "bedrock-tokens"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 2000000
  alarm_actions       = [aws_sns_topic.on_call.arn]
  metric_query {
    id          = "total"
    expression  = "m1"
    return_data = true
  }
  metric_query {
    id = "m1"
    metric {
      namespace   = "AWS/Bedrock"
      metric_name = "OutputTokenCount"
      period      = 3600
      stat        = "Sum"
    }
  }
}

# Metrics Insights query alarm: counts too
resource "aws_cloudwatch_metric_alarm" "insights" {
  alarm_name          = "bedrock-tokens-insights"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 2000000
  alarm_actions       = [aws_sns_topic.on_call.arn]
  metric_query {
    id          = "q"
    expression  = "SELECT SUM(OutputTokenCount) FROM \"AWS/Bedrock\""
    period      = 3600
    return_data = true
  }
}
