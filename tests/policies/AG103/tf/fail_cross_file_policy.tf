# the policy of the role in fail_cross_file_role.tf (no finding of its own here)
resource "aws_iam_role_policy" "cross_file" {
  name = "everything-s3"
  role = aws_iam_role.cross_file.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "cross_file_admin" {
  role       = aws_iam_role.cross_file.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
