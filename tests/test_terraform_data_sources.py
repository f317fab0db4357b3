"""Data sources whose attributes echo their arguments (scanner/sources/terraform/data_sources.py)."""

from __future__ import annotations

from pathlib import Path

from agentgov.scanner.model import Expr, Unknown
from agentgov.scanner.sources.terraform import load_terraform

TF = """
variable "model_id" {
  default = "anthropic.claude-3-haiku-20240307-v1:0"
}
variable "unset" {
  type = string
}
data "aws_bedrock_foundation_model" "this" {
  model_id = var.model_id
}
data "aws_bedrock_foundation_model" "counted" {
  count    = 1
  model_id = "amazon.nova-pro-v1:0"
}
data "aws_bedrock_foundation_model" "unset" {
  model_id = var.unset
}
resource "aws_bedrockagent_agent" "by_id" {
  agent_name       = "by-id"
  foundation_model = data.aws_bedrock_foundation_model.this.model_id
}
resource "aws_bedrockagent_agent" "by_arn" {
  agent_name       = "by-arn"
  foundation_model = data.aws_bedrock_foundation_model.counted[0].model_arn
}
resource "aws_bedrockagent_agent" "unset" {
  agent_name       = "unset"
  foundation_model = data.aws_bedrock_foundation_model.unset.model_id
}
resource "aws_bedrockagent_agent" "other" {
  agent_name       = "other"
  foundation_model = data.aws_bedrock_foundation_model.this.provider_name
}
"""


def test_foundation_model_data_source_echoes_its_model_id(tmp_path: Path):
    (tmp_path / "main.tf").write_text(TF)
    raws = load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)
    raws = raws[0] if isinstance(raws, tuple) else raws
    model = {r.local_id: r.properties.get("foundation_model") for r in raws if r.type == "aws_bedrockagent_agent"}
    assert model["aws_bedrockagent_agent.by_id"] == "anthropic.claude-3-haiku-20240307-v1:0"
    arn = model["aws_bedrockagent_agent.by_arn"]
    assert isinstance(arn, Expr) and arn.parts[-1] == "::foundation-model/amazon.nova-pro-v1:0"
    assert isinstance(model["aws_bedrockagent_agent.unset"], Unknown)
    assert isinstance(model["aws_bedrockagent_agent.other"], Unknown)  # read at apply time
