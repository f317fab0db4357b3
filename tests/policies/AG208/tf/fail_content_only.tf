# content filters only: no denied topic, no word filter
resource "aws_bedrock_guardrail" "nothing" {
  name                      = "nothing"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
  }
}
