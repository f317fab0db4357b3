variable "credential_service" {
  type = string
}

# the service is chosen at apply time
resource "aws_iam_service_specific_credential" "chosen" {
  service_name = var.credential_service
  user_name    = "ci-user"
}

# a user without a key in the files: keys are made outside them (settled live)
resource "aws_iam_user" "ci" {
  name = "ci-user"
}
