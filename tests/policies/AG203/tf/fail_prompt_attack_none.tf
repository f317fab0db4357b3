# a PROMPT_ATTACK filter at NONE filters nothing
resource "aws_bedrock_guardrail" "none" {
  name                      = "none"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    filters_config {
      input_strength  = "HIGH"
      output_strength = "HIGH"
      type            = "HATE"
    }
    filters_config {
      input_strength  = "NONE"
      output_strength = "NONE"
      type            = "PROMPT_ATTACK"
    }
  }
}

resource "aws_bedrock_guardrail" "no_content_policy" {
  name                      = "no-content-policy"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
  }
}
