# Three VPC-mode runtimes in public subnets: an inline route to the internet gateway, a separate aws_route to it,
# and the VPC's main route table (aws_main_route_table_association) with an IPv6 route to an egress-only gateway.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "v6" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "inline" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "separate" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_subnet" "main_table" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.3.0/24"
}

resource "aws_route_table" "inline" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_route_table_association" "inline" {
  subnet_id      = aws_subnet.inline.id
  route_table_id = aws_route_table.inline.id
}

resource "aws_route_table" "separate" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "separate" {
  route_table_id         = aws_route_table.separate.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.gw.id
}

resource "aws_route_table_association" "separate" {
  subnet_id      = aws_subnet.separate.id
  route_table_id = aws_route_table.separate.id
}

resource "aws_route_table" "main" {
  vpc_id = aws_vpc.main.id
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.v6.id
  }
}

resource "aws_main_route_table_association" "main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.main.id
}

resource "aws_bedrockagentcore_agent_runtime" "inline" {
  agent_runtime_name = "inline_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = [aws_subnet.inline.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

resource "aws_bedrockagentcore_agent_runtime" "separate" {
  agent_runtime_name = "separate_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = [aws_subnet.separate.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}

resource "aws_bedrockagentcore_agent_runtime" "main_table" {
  agent_runtime_name = "main_table_runtime"
  role_arn           = "arn:aws:iam::123456789012:role/runtime"
  agent_runtime_artifact {
    container_configuration {
      container_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent:latest"
    }
  }
  network_configuration {
    network_mode = "VPC"
    network_mode_config {
      subnets         = [aws_subnet.main_table.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
