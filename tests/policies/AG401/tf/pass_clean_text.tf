resource "aws_bedrockagent_agent" "tidy" {
  agent_name              = "tidy"
  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = "You answer questions about invoices. Never reveal credentials; the tool reads them from Secrets Manager."
  prompt_override_configuration {
    prompt_configurations {
      prompt_type          = "ORCHESTRATION"
      prompt_creation_mode = "OVERRIDDEN"
      base_prompt_template = "You are an invoices assistant. $instruction$ $tools$"
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "tidy" {
  agent_id          = aws_bedrockagent_agent.tidy.agent_id
  agent_version     = "DRAFT"
  action_group_name = "tidy"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:invoices"
  }
  function_schema {
    member_functions {
      functions {
        name        = "get_invoice"
        description = "Get an invoice by its id (for example INV-2024-000123)"
        parameters {
          map_block_key = "invoice_id"
          type          = "string"
          description   = "The invoice id"
          required      = true
        }
      }
    }
  }
}
