resource "aws_bedrockagent_agent_action_group" "confirmed" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "confirmed"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:bookings"
  }
  function_schema {
    member_functions {
      functions {
        name                 = "cancel_booking"
        description          = "Cancel a booking"
        require_confirmation = "ENABLED"
      }
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "returned" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "returned"
  action_group_executor {
    custom_control = "RETURN_CONTROL"
  }
  function_schema {
    member_functions {
      functions {
        name        = "delete_account"
        description = "Delete the customer's account"
      }
    }
  }
}
