resource "aws_s3_bucket" "evidence" {
  bucket              = "acme-evidence"
  object_lock_enabled = true
  tags = {
    "agentgov:evidence" = "true"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "evidence" {
  bucket = aws_s3_bucket.evidence.id
  rule {
    default_retention {
      mode  = "COMPLIANCE"
      years = 2
    }
  }
}

# not tagged: not in scope
resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-artifacts"
}
