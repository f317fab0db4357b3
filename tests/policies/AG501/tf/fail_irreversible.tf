resource "aws_bedrockagent_agent_action_group" "bookings" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "bookings"
  action_group_executor {
    lambda = "arn:aws:lambda:us-east-1:123456789012:function:bookings"
  }
  function_schema {
    member_functions {
      functions {
        name        = "get_booking"
        description = "Get a booking"
      }
      functions {
        name        = "cancel_booking"
        description = "Cancel a booking"
      }
      functions {
        name        = "notify"
        description = "Sends an email to the guest"
      }
    }
  }
}
