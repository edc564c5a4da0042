"""Planning sees embroidery lead time when it plans a make proposal whose default BOM has an embroidery step."""

from datetime import timedelta
from decimal import Decimal

from planning.models import OrderProposal
from planning.services.proposals import propose_orders
from shopfloor.models import EmbroideryDesign, EmbroideryStep
from tests.planning.conftest import TODAY

D = Decimal


def plan_shirts(build, steps: list[int]) -> tuple[OrderProposal, OrderProposal]:
    shop = build.location("SHOP")
    shirt = build.product("TEE", kind="semi_finished")
    blank = build.product("BLANK")
    water = build.product("WATER")
    bom = build.bom(shirt, [(blank, 1)])
    for index, days in enumerate(steps):
        design = EmbroideryDesign.objects.create(code=f"D{index}", name="Logo", stitch_count=1000)
        EmbroideryStep.objects.create(bom=bom, design=design, part=blank, lead_time_days=days)
    # review 7, lead 3, service level 50 % (no safety stock): P = 10 days without embroidery.
    build.settings(service_level=D("0.5"), review_period_days=7, lead_time_days=3, supplier=build.supplier())
    build.run({(shop, shirt): [4] * 28, (shop, water): [4] * 28})
    propose_orders(planning_date=TODAY)
    return (OrderProposal.objects.get(product=shirt, status="proposed"),
            OrderProposal.objects.get(product=water, status="proposed"))


def test_without_embroidery_the_make_lead_time_is_the_settings_one(build):
    shirt, water = plan_shirts(build, [])
    assert (shirt.kind, shirt.protection_days, shirt.quantity) == ("make", 10, D(40))
    assert shirt.expected_arrival == TODAY + timedelta(days=3)


def test_the_longest_embroidery_step_lengthens_a_make_proposal_and_says_why(build):
    shirt, water = plan_shirts(build, [2, 4])
    assert (shirt.kind, shirt.protection_days, shirt.quantity) == ("make", 14, D(56))
    assert shirt.expected_arrival == TODAY + timedelta(days=7)
    assert shirt.terms["settings"]["lead_time_days"] == 7
    assert "embroidery 4 d (design D1)" in shirt.terms["settings"]["sources"]["lead_time_days"]
    # A bought item is not embroidered by us: its lead time stays the settings' one.
    assert (water.kind, water.protection_days) == ("buy", 10)


def test_a_step_on_a_non_default_bom_does_not_count(build):
    shop = build.location("SHOP")
    shirt = build.product("TEE", kind="semi_finished")
    blank = build.product("BLANK")
    build.bom(shirt, [(blank, 1)])
    other = build.bom(shirt, [(blank, 2)], default=False, variant="gift")
    design = EmbroideryDesign.objects.create(code="GIFT", name="Gift", stitch_count=1)
    EmbroideryStep.objects.create(bom=other, design=design, part=blank, lead_time_days=9)
    build.settings(service_level=D("0.5"), review_period_days=7, lead_time_days=3)
    build.run({(shop, shirt): [4] * 28})
    propose_orders(planning_date=TODAY)
    assert OrderProposal.objects.get(product=shirt, status="proposed").protection_days == 10


def test_several_contributors_add_up_and_the_registry_is_keyed_by_name(build, monkeypatch):
    from planning.services import lead_time

    # A second registered contributor (e.g. a printing step), registered through the public call and removed
    # after the test by monkeypatch, which restores the registry.
    monkeypatch.setitem(lead_time._contributors, "printing", lambda ids: {
        pid: lead_time.LeadTimeExtra(1, "printing 1 d") for pid in ids})
    lead_time.register_make_lead_time_contributor("printing", lambda ids: {
        pid: lead_time.LeadTimeExtra(2, "printing 2 d") for pid in ids})
    shirt, _ = plan_shirts(build, [4])
    assert shirt.protection_days == 7 + 3 + 4 + 2
    sources = shirt.terms["settings"]["sources"]["lead_time_days"]
    assert "embroidery 4 d" in sources and "printing 2 d" in sources and "printing 1 d" not in sources
