# the role is declared here; its AdministratorAccess attachment is in fail_cross_file_attachment.tf: the finding sits on this
# role, in this file, and its evidence points at the policy's file and line
resource "aws_iam_role" "cross_file" {
  name = "cross-file-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "bedrock.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_bedrockagent_agent" "cross_file" {
  agent_name              = "cross-file"
  agent_resource_role_arn = aws_iam_role.cross_file.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
