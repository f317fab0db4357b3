# a customization without a key (Bedrock encrypts the model with a key AWS manages), a batch job whose output
# names no key and one that names the AWS-managed alias
resource "aws_bedrock_custom_model" "no_key" {
  custom_model_name     = "support-tuned"
  job_name              = "support-tuning-1"
  base_model_identifier = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
  role_arn              = "arn:aws:iam::123456789012:role/bedrock-customization"
  hyperparameters       = { epochCount = "1" }
  output_data_config {
    s3_uri = "s3://customization-output/support/"
  }
  training_data_config {
    s3_uri = "s3://customization-input/support/train.jsonl"
  }
}

resource "aws_bedrock_model_invocation_job" "bucket_default" {
  job_name = "nightly-summaries"
  model_id = "amazon.nova-lite-v1:0"
  role_arn = "arn:aws:iam::123456789012:role/bedrock-batch"
  input_data_config {
    s3_input_data_config {
      s3_uri = "s3://batch-input/nightly/"
    }
  }
  output_data_config {
    s3_output_data_config {
      s3_uri = "s3://batch-output/nightly/"
    }
  }
}

resource "aws_bedrock_model_invocation_job" "aws_managed" {
  job_name = "weekly-summaries"
  model_id = "amazon.nova-lite-v1:0"
  role_arn = "arn:aws:iam::123456789012:role/bedrock-batch"
  input_data_config {
    s3_input_data_config {
      s3_uri = "s3://batch-input/weekly/"
    }
  }
  output_data_config {
    s3_output_data_config {
      s3_uri               = "s3://batch-output/weekly/"
      s3_encryption_key_id = "alias/aws/s3"
    }
  }
}
