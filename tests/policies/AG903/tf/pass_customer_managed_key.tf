resource "aws_kms_key" "agentcore" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "agentcore" {
  name          = "alias/agentcore"
  target_key_id = aws_kms_key.agentcore.key_id
}

resource "aws_bedrockagentcore_memory" "keyed" {
  name                  = "keyed_memory"
  event_expiry_duration = 30
  encryption_key_arn    = aws_kms_key.agentcore.arn
}

resource "aws_bedrockagentcore_gateway" "keyed" {
  name            = "keyed"
  role_arn        = "arn:aws:iam::123456789012:role/gateway"
  authorizer_type = "AWS_IAM"
  protocol_type   = "MCP"
  kms_key_arn     = aws_kms_alias.agentcore.arn
}

resource "aws_bedrockagentcore_policy_engine" "keyed" {
  name               = "keyed_engine"
  encryption_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
