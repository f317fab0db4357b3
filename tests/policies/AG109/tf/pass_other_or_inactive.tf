# a CodeCommit credential is not a Bedrock API key
resource "aws_iam_service_specific_credential" "codecommit" {
  service_name = "codecommit.amazonaws.com"
  user_name    = "git-mirror"
}

# a deactivated Bedrock API key cannot be used
resource "aws_iam_service_specific_credential" "disabled" {
  service_name = "bedrock.amazonaws.com"
  user_name    = "git-mirror"
  status       = "Inactive"
}
