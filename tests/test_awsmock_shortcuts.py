"""What awsmock does to make moto cheaper answers what moto answers.

- ``ec2_offerings.lazy`` reads moto's EC2 instance type offerings per region on demand: the same offerings
  (with the ``LocationType`` moto's import adds) for every location type and region.
- ``shared_models`` makes moto read service models and paginators through the process's one botocore loader:
  the same models moto's own loader reads.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("moto", reason="moto is in the test extras")

_OFFERINGS = """
import json, sys
{prepare}
import moto.ec2.models.instance_types as it
print(type(it.INSTANCE_TYPE_OFFERINGS["region"]).__name__)
print(json.dumps({{k: dict(v.items()) for k, v in it.INSTANCE_TYPE_OFFERINGS.items()}}, sort_keys=True))
"""


def _offerings(prepare: str) -> tuple[str, dict]:
    # a fresh interpreter each: moto's module reads the offerings when it is first imported
    out = subprocess.run(
        [sys.executable, "-c", _OFFERINGS.format(prepare=prepare)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return out[0], json.loads(out[1])


def test_instance_type_offerings_read_on_demand_are_the_ones_moto_reads():
    kind, lazy = _offerings("from agentgov.demo.awsmock import ec2_offerings; ec2_offerings.lazy()")
    eager_kind, eager = _offerings("")
    assert (kind, eager_kind) == ("_Regions", "dict")  # read on demand, and by moto all at once
    assert set(lazy) == {"region", "availability-zone", "availability-zone-id"}
    assert lazy == eager
    assert lazy["region"]["us-east-1"][0]["LocationType"] == "region"


def test_instance_type_offerings_of_a_region_without_a_file_answer_as_moto_does():
    from agentgov.demo.awsmock.ec2_offerings import _Regions

    read: list[tuple] = []
    regions = _Regions("region", {"us-east-1": ("pkg", "x")}, lambda *args: read.append(args) or [{"InstanceType": "t3.micro"}])
    assert regions.get("mars-north-1", []) == []  # moto's .get(region, []) on its dict
    with pytest.raises(KeyError):
        regions["mars-north-1"]
    assert regions["us-east-1"] == [{"InstanceType": "t3.micro", "LocationType": "region"}]
    assert regions["us-east-1"] is regions["us-east-1"]  # read once, with the arguments moto's import passed
    assert read == [("pkg", "x")]


def test_moto_reads_service_models_through_the_shared_loader():
    import moto.core.utils

    from agentgov.demo.awsmock import estate

    own = moto.core.utils._load_service_model("bedrock-agent", "service-2")
    paginators = moto.core.utils._load_service_model("bedrock-agent", "paginators-1")
    with estate.shared_models():
        shared = moto.core.utils._load_service_model("bedrock-agent", "service-2")
        assert shared is estate._loader().load_service_model("bedrock-agent", "service-2")  # one parse per process
        assert moto.core.utils._load_service_model("bedrock-agent", "paginators-1") == paginators
    assert shared == own
    assert moto.core.utils._load_service_model("bedrock-agent", "service-2") is not shared  # moto's own again


@pytest.mark.parametrize(
    "service",
    # GetResources' backends; metadata holding objects (cloudwatch, sqs); a global service; one botocore lacks
    ["sagemaker", "quicksight", "rds", "lexv2-models", "cloudwatch", "sqs", "iam", "s3", "not-a-service"],
)
def test_backend_regions_from_the_model_metadata_are_the_ones_moto_lists(service):
    from moto.core.base_backend import AccountSpecificBackend

    from agentgov.demo.awsmock import backend_regions, estate

    session = AccountSpecificBackend.get_session()
    moto_own = AccountSpecificBackend._generate_regions.__wrapped__(None, service)  # (its lru_cache around it)
    if service == "not-a-service":  # no model to read: moto's own answer (none)
        assert backend_regions.regions(session, estate._loader(), service, lambda name: ["asked moto"]) == ["asked moto"]
        assert moto_own == []
        return
    mine = backend_regions.regions(session, estate._loader(), service, lambda name: pytest.fail(f"{name}: metadata not read"))
    assert mine == moto_own
    assert ("us-east-1" in mine) is (service not in ("iam",))  # (IAM's endpoints are not regional)


def test_backend_regions_fall_back_to_moto_when_the_metadata_is_not_read(tmp_path):
    from botocore.loaders import Loader

    from agentgov.demo.awsmock import backend_regions

    model = tmp_path / "madeup" / "2020-01-01"
    model.mkdir(parents=True)
    (model / "service-2.json").write_text('{"version": "2.0", "operations": {}, "shapes": {}}')  # no metadata
    loader = Loader(extra_search_paths=[str(tmp_path)])
    assert backend_regions.regions(None, loader, "madeup", lambda name: [f"{name}-region"]) == ["madeup-region"]


def test_the_demo_estate_leaves_the_garbage_collector_as_it_found_it():
    """The demo freezes its estate out of the collector's reach while it lives (the audit's collections skip it):
    a test process that builds it goes on with the collector on and nothing frozen."""
    import gc

    from agentgov.demo import organization

    assert gc.isenabled()
    with organization.estate() as accounts:
        assert len(accounts) == 3
        assert gc.isenabled()  # (off only while the estate is built)
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
