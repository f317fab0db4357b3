resource "aws_bedrockagent_agent" "costly" {
  agent_name              = "costly"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "aws_cloudwatch_metric_alarm" "agent_invocations" {
  alarm_name          = "agent-invocations"
  namespace           = "AWS/Bedrock/Agents"
  metric_name         = "InvocationCount"
  statistic           = "SampleCount"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1000
  comparison_operator = "GreaterThanThreshold"
  actions_enabled     = false
  alarm_actions       = ["arn:aws:sns:us-east-1:123456789012:on-call"]
}
