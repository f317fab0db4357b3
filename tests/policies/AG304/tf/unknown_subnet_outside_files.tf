resource "aws_bedrockagentcore_agent_runtime" "outside" {
  agent_runtime_name = "private_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = ["subnet-0a1b2c3d"]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

# a subnet without an association follows its VPC's main route table, which these files do not define
resource "aws_vpc" "unrouted" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "unrouted" {
  vpc_id     = aws_vpc.unrouted.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_bedrockagentcore_agent_runtime" "main_table_elsewhere" {
  agent_runtime_name = "main_table_elsewhere"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = [aws_subnet.unrouted.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
