resource "aws_vpc" "full" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "full" {
  count      = 2
  vpc_id     = aws_vpc.full.id
  cidr_block = "10.2.${count.index}.0/24"
}

resource "aws_vpc_endpoint" "full" {
  for_each            = toset(["bedrock-runtime", "bedrock-agent-runtime", "secretsmanager", "sts"])
  vpc_id              = aws_vpc.full.id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_lambda_function" "full" {
  function_name = "full"
  role          = "arn:aws:iam::123456789012:role/tool"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "tool.zip"
  vpc_config {
    subnet_ids         = aws_subnet.full[*].id
    security_group_ids = ["sg-0123456789abcdef0"]
  }
}

resource "aws_bedrockagent_agent_action_group" "full" {
  agent_id          = "AGENT12345"
  agent_version     = "DRAFT"
  action_group_name = "full"
  action_group_executor {
    lambda = aws_lambda_function.full.arn
  }
}

# a code interpreter in the full VPC, and a runtime in network mode PUBLIC (AG304 judges it, not AG302)
resource "aws_bedrockagentcore_code_interpreter" "full" {
  name = "full_ci"
  network_configuration {
    network_mode = "VPC"
    vpc_config {
      subnets         = aws_subnet.full[*].id
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

resource "aws_bedrockagentcore_agent_runtime" "public" {
  agent_runtime_name = "public_rt"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "PUBLIC"
  }
}
