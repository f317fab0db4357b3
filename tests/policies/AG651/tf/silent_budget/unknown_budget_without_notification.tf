# a budget on every service that notifies nobody: it does not count, and nothing else in the files does (UNKNOWN:
# an alarm, budget or monitor may exist outside them)
resource "aws_budgets_budget" "all" {
  name         = "everything"
  budget_type  = "COST"
  limit_amount = "5000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
}

resource "aws_bedrockagent_agent" "silent" {
  agent_name              = "silent"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
