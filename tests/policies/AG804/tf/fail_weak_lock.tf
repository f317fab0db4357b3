resource "aws_s3_bucket" "governance" {
  bucket              = "acme-evidence-governance"
  object_lock_enabled = true
  tags = {
    "agentgov:evidence" = "true"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "governance" {
  bucket = aws_s3_bucket.governance.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 400
    }
  }
}

# tagged, no Object Lock
resource "aws_s3_bucket" "plain" {
  bucket = "acme-evidence-plain"
  tags = {
    "agentgov:evidence" = "true"
  }
}
