# The runtime's subnet routes to the internet through a NAT gateway (inline route); the VPC's default route table
# has only its local route.
resource "aws_vpc" "private_net" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_route_table" "private_net" {
  default_route_table_id = aws_vpc.private_net.default_route_table_id
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.private_net.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "also_private" {
  vpc_id     = aws_vpc.private_net.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_route_table" "nat" {
  vpc_id = aws_vpc.private_net.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = "nat-0123456789abcdef0"
  }
}

resource "aws_route_table_association" "nat" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.nat.id
}

resource "aws_bedrockagentcore_agent_runtime" "private" {
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
      # also_private has no association: it follows the VPC's default (main) route table
      subnets         = [aws_subnet.private.id, aws_subnet.also_private.id]
      security_groups = ["sg-0123456789abcdef0"]
    }
  }
}
