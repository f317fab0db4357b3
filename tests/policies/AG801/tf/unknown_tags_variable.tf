variable "tags" {
  type = map(string)
}

resource "aws_bedrockagent_knowledge_base" "kb" {
  name     = "kb"
  role_arn = "arn:aws:iam::123456789012:role/kb"
  tags     = var.tags
}
