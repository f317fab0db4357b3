# the leading verb of the description is the action: "Sends the invoice" is a send even though the
# name (invoice_customer) says nothing; a drop-off elsewhere in a description does not clear it
resource "aws_bedrockagent_agent_action_group" "billing" {
  action_group_name = "billing"
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:billing"
  }
  function_schema {
    member_functions {
      functions {
        name        = "invoice_customer"
        description = "Sends the invoice to the customer's e-mail, with the drop-off receipt attached"
      }
    }
  }
}
