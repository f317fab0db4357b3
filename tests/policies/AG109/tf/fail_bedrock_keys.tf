resource "aws_iam_user" "app" {
  name = "bedrock-app"
}

# a Bedrock API key that never expires (critical)
resource "aws_iam_service_specific_credential" "forever" {
  service_name = "bedrock.amazonaws.com"
  user_name    = aws_iam_user.app.name
}

# one that expires is still a long-term key
resource "aws_iam_service_specific_credential" "monthly" {
  service_name        = "bedrock.amazonaws.com"
  user_name           = aws_iam_user.app.name
  credential_age_days = 30
  status              = "Active"
}
