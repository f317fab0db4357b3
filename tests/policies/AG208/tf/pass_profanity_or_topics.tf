resource "aws_bedrock_guardrail" "profanity" {
  name                      = "profanity"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
  }
}

resource "aws_bedrock_guardrail" "topics" {
  name                      = "topics"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  topic_policy_config {
    topics_config {
      name       = "medical-advice"
      definition = "Diagnoses or treatment recommendations."
      type       = "DENY"
    }
  }
}
