variable "debug_actions" {
  type = list(string)
}

# the actions are known only at deploy time
resource "aws_iam_role" "debug" {
  name = "debug"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = data.aws_caller_identity.current.account_id }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "debug"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = var.debug_actions, Resource = "*" }]
    })
  }
}

# in a group the scanned files do not hold: its policies, which are the user's, are not known
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_group_membership" "ci" {
  user   = aws_iam_user.ci.name
  groups = ["platform-admins"]
}
