variable "engine_key_arn" {
  type = string
}

resource "aws_bedrockagentcore_policy_engine" "configurable" {
  name               = "configurable_engine"
  encryption_key_arn = var.engine_key_arn
}

data "aws_kms_key" "shared" {
  key_id = "alias/shared-agentcore"
}

resource "aws_bedrockagentcore_memory" "shared_key" {
  name                  = "shared_key_memory"
  event_expiry_duration = 30
  encryption_key_arn    = data.aws_kms_key.shared.arn
}
