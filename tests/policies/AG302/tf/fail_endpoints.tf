variable "region" {
  type    = string
  default = "eu-west-1"
}

resource "aws_vpc" "thin" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "thin" {
  vpc_id     = aws_vpc.thin.id
  cidr_block = "10.1.1.0/24"
}

# two of four: secretsmanager and sts are missing
resource "aws_vpc_endpoint" "thin" {
  for_each          = toset(["bedrock-runtime", "bedrock-agent-runtime"])
  vpc_id            = aws_vpc.thin.id
  service_name      = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type = "Interface"
}

# a Gateway endpoint (the default type) for sts does not count
resource "aws_vpc_endpoint" "thin_sts_gateway" {
  vpc_id       = aws_vpc.thin.id
  service_name = "com.amazonaws.${var.region}.sts"
}

resource "aws_lambda_function" "thin" {
  function_name = "thin"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.thin.id]
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_bedrockagent_agent_action_group" "thin" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "tools"
  action_group_executor {
    lambda = aws_lambda_function.thin.arn
  }
}

# an AgentCore runtime in network mode VPC in the thin VPC: judged too
resource "aws_bedrockagentcore_agent_runtime" "thin" {
  agent_runtime_name = "thin_rt"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = [aws_subnet.thin.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
