import pytest

from branches.models import Location
from branches.services.org_sync import OrgNode, apply_org_feed
from integrations.models import IntegrationAccount


@pytest.fixture
def onec_source(db):
    return IntegrationAccount.objects.create(name="1C", kind="onec", base_url="https://1c.example/ex")


@pytest.fixture
def iiko_source(db):
    return IntegrationAccount.objects.create(name="iiko", kind="iiko", base_url="https://iiko.example")


@pytest.fixture
def chain():
    """A feed builder: `chain(n, depth)` — a chain `depth` deep plus a fan-out, in shuffled order."""
    import random

    def _chain(count: int, depth: int, seed: int = 3, prefix: str = "n") -> list[OrgNode]:
        rng = random.Random(seed)
        nodes = []
        for i in range(1, count + 1):
            parent = None if i == 1 else f"{prefix}{i - 1}" if i <= depth else f"{prefix}{rng.randint(1, i - 1)}"
            nodes.append(OrgNode(external_id=f"{prefix}{i}", parent_external_id=parent, name=f"Node {i}",
                                 code=f"{i:06d}"))
        rng.shuffle(nodes)
        return nodes

    return _chain


@pytest.fixture
def manual_tree(db):
    """A small manual tree: root → north (→ shop1, shop2), south (→ shop3)."""
    nodes = [OrgNode("root", "Root", None, code="R"), OrgNode("north", "North", "root", code="N"),
             OrgNode("south", "South", "root", code="S"), OrgNode("shop1", "Shop One", "north", code="001"),
             OrgNode("shop2", "Shop Two", "north", code="002", taxpayer_id_number="7701234567"),
             OrgNode("shop3", "Shop Three", "south", code="003")]
    apply_org_feed(None, nodes)
    return {loc.external_id: loc for loc in Location.objects.all()}
