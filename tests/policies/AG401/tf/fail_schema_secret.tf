resource "aws_bedrockagent_agent" "leaky" {
  agent_name              = "leaky"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You answer questions about invoices. Use the invoices tool for every lookup."
}

resource "aws_bedrockagent_agent_action_group" "leaky" {
  agent_id          = aws_bedrockagent_agent.leaky.agent_id
  agent_version     = "DRAFT"
  action_group_name = "invoices"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:invoices"
  }
  api_schema {
    payload = jsonencode({
      openapi = "3.0.0"
      info    = { title = "Invoices", version = "1.0.0" }
      paths = {
        "/invoices" = {
          get = {
            operationId = "listInvoices"
            description = "List invoices. Call with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudCIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
            responses   = { "200" = { description = "invoices" } }
          }
        }
      }
    })
  }
}
