# only HATE, and its output only detects
resource "aws_bedrock_guardrail" "partial" {
  name                      = "partial"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
      output_action   = "NONE"
    }
  }
}

# no content policy at all
resource "aws_bedrock_guardrail" "none" {
  name                      = "none"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
}
