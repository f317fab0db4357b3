variable "db_password" {
  type      = string
  sensitive = true
  default   = "Sup3rS3cr3t!"
}

variable "api_token" {
  type = string
}

variable "openai_key_default" {
  type    = string
  default = "AKIAIOSFODNN7EXAMPLE"
}
