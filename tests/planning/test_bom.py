"""BOMs: validation of each problem kind, multi-level explosion, variants, search and the CRUD API."""

from decimal import Decimal

import pytest

from planning.models import BillOfMaterials
from planning.services.bom import BomCycleError, DraftBom, DraftLine, explode, validate_bom_draft, where_used

D = Decimal
BOM_URL = "/api/v1/warehouse/bom/"


@pytest.fixture
def planner(client_for):
    return client_for("planner")


@pytest.fixture
def three_levels(build):
    """DISH ← SEMI1 (batch of 2 kg) ← SEMI2 ← materials; M1 is shared by all three levels.

    DISH (1 portion): 0.5 kg SEMI1, 0.2 kg M1 with 10 % scrap
    SEMI1 (per batch of 2 kg): 1.0 kg SEMI2 with 5 % scrap, 0.4 kg M1
    SEMI2 (per 1 kg): 0.5 kg M2 with 2 % scrap, 0.1 kg M1
    """
    m1, m2 = build.product("M1", kind="material", unit="kg"), build.product("M2", kind="material", unit="kg")
    semi2 = build.product("SEMI2", kind="semi_finished", unit="kg")
    semi1 = build.product("SEMI1", kind="semi_finished", unit="kg")
    dish = build.product("DISH", kind="dish", unit="pcs")
    build.bom(semi2, [(m2, "0.5", "2"), (m1, "0.1")])
    build.bom(semi1, [(semi2, "1.0", "5"), (m1, "0.4")], output="2")
    bom = build.bom(dish, [(semi1, "0.5"), (m1, "0.2", "10")])
    return {"m1": m1, "m2": m2, "semi1": semi1, "semi2": semi2, "dish": dish, "bom": bom}


# --- explosion ---------------------------------------------------------------------------------------------


def test_three_level_explosion_sums_shared_components_and_applies_scrap(three_levels):
    # For 10 dishes:
    #   SEMI1 = 10 × 0.5 = 5 kg;           M1 (dish level) = 10 × 0.2 × 1.10 = 2.2
    #   SEMI2 = 5 / 2 × 1.0 × 1.05 = 2.625;   M1 (SEMI1 level) = 5 / 2 × 0.4 = 1.0
    #   M2 = 2.625 × 0.5 × 1.02 = 1.33875;    M1 (SEMI2 level) = 2.625 × 0.1 = 0.2625
    #   M1 total = 2.2 + 1.0 + 0.2625 = 3.4625 → 3.463 (half up); M2 → 1.339
    lines = explode(three_levels["dish"].pk, D("10"))
    assert [(line.sku, line.quantity) for line in lines] == [("M1", D("3.463")), ("M2", D("1.339"))]
    m1 = lines[0]
    assert sorted(m1.paths) == ["DISH → M1", "DISH → SEMI1 → M1", "DISH → SEMI1 → SEMI2 → M1"]


def test_explode_endpoint(three_levels, planner):
    response = planner.get(f"{BOM_URL}{three_levels['bom'].pk}/explode?quantity=10")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sku"] == "DISH"
    assert [(row["sku"], row["quantity"]) for row in body["lines"]] == [("M1", "3.463"), ("M2", "1.339")]
    assert planner.get(f"{BOM_URL}{three_levels['bom'].pk}/explode/").json()["quantity"] == "1.000"


@pytest.mark.parametrize("bad", ["0", "-3", "abc", "NaN", "Infinity", "1e400"])
def test_explode_quantity_must_be_positive(three_levels, planner, bad):
    response = planner.get(f"{BOM_URL}{three_levels['bom'].pk}/explode?quantity={bad}")
    assert response.status_code == 400
    assert "quantity" in response.json()


def test_explosion_refuses_a_stored_cycle(build):
    a, b = build.product("A", kind="semi_finished"), build.product("B", kind="semi_finished")
    build.bom(a, [(b, 1)])
    build.bom(b, [(a, 1)])
    with pytest.raises(BomCycleError) as info:
        explode(a.pk, D("1"))
    assert info.value.path == ["A", "B", "A"]


# --- validation --------------------------------------------------------------------------------------------


def _validate(planner, product, lines, **extra):
    response = planner.post(f"{BOM_URL}validate", {"product": product.pk, "lines": lines, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_valid_draft_has_no_problems(three_levels, planner):
    body = _validate(planner, three_levels["dish"], [{"component": three_levels["m1"].pk, "quantity": "1"}])
    assert body == {"valid": True, "checked": 1, "problems": []}


def test_cycle_across_levels_is_named_with_its_path(three_levels, planner):
    # SEMI2 using DISH closes DISH → SEMI1 → SEMI2 → DISH.
    body = _validate(planner, three_levels["semi2"], [{"component": three_levels["dish"].pk, "quantity": "1"}],
                     replaces=three_levels["semi2"].boms.get().pk)
    assert body["valid"] is False
    [problem] = body["problems"]
    assert problem["code"] == "cycle"
    assert problem["path"] == ["SEMI2", "DISH", "SEMI1", "SEMI2"]
    assert "SEMI2 → DISH → SEMI1 → SEMI2" in problem["message"]


def test_product_as_its_own_component(build, planner):
    item = build.product("SELF", kind="semi_finished")
    body = _validate(planner, item, [{"component": item.pk, "quantity": "1"}])
    assert [p["code"] for p in body["problems"]] == ["self_component"]
    assert body["problems"][0]["path"] == ["SELF", "SELF"]


@pytest.mark.parametrize("quantity", ["0", "-1.5"])
def test_zero_or_negative_quantity(build, planner, quantity):
    parent, part = build.product("P"), build.product("PART")
    body = _validate(planner, parent, [{"component": part.pk, "quantity": quantity}])
    assert [p["code"] for p in body["problems"]] == ["non_positive_quantity"]
    assert body["problems"][0]["path"] == ["P", "PART"] and body["problems"][0]["line"] == 0


def test_unknown_component_by_id_and_by_sku(build, planner):
    parent = build.product("P")
    body = _validate(planner, parent, [{"component": 987654, "quantity": "1"},
                                       {"component_sku": "NOPE", "quantity": "1"}])
    assert [p["code"] for p in body["problems"]] == ["unknown_component", "unknown_component"]
    assert body["problems"][0]["path"] == ["P", "#987654"]
    assert body["problems"][1]["path"] == ["P", "NOPE"] and body["problems"][1]["line"] == 1


def test_unit_mismatch(build, planner):
    parent, flour = build.product("BREAD"), build.product("FLOUR", unit="kg")
    body = _validate(planner, parent, [{"component": flour.pk, "quantity": "500", "unit": "g"}])
    [problem] = body["problems"]
    assert problem["code"] == "unit_mismatch"
    assert "'kg'" in problem["message"] and "'g'" in problem["message"]


def test_scrap_out_of_range_and_duplicates(build, planner):
    parent, part = build.product("P"), build.product("PART")
    body = _validate(planner, parent, [{"component": part.pk, "quantity": "1", "scrap_percent": "100"},
                                       {"component": part.pk, "quantity": "1"}])
    codes = {(p["code"], p["severity"]) for p in body["problems"]}
    assert codes == {("invalid_scrap", "error"), ("duplicate_component", "error")}


def test_a_bom_with_the_same_component_twice_is_not_saved(build, planner):
    parent, part = build.product("P2"), build.product("PART2")
    response = planner.post(BOM_URL, {"product": parent.pk, "lines": [{"component": part.pk, "quantity": "1"},
                                                                       {"component": part.pk, "quantity": "2"}]},
                            format="json")
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["code"] == "duplicate_component" and str(problem["line"]) == "1"
    assert not BillOfMaterials.objects.filter(product=parent).exists()


def test_validating_stored_boms(three_levels, planner):
    response = planner.post(f"{BOM_URL}validate", {}, format="json")
    assert response.json() == {"valid": True, "checked": 3, "problems": []}
    one = planner.post(f"{BOM_URL}validate", {"bom": three_levels["bom"].pk}, format="json").json()
    assert one["valid"] is True and one["checked"] == 1
    assert planner.post(f"{BOM_URL}validate", {"bom": 999999}, format="json").status_code == 400


def test_validation_service_reports_several_problems_at_once(three_levels):
    draft = DraftBom(three_levels["m1"].pk, [DraftLine(three_levels["m1"].pk, D("0"), "pcs")])
    codes = sorted(p.code for p in validate_bom_draft(draft))
    assert codes == ["non_positive_quantity", "self_component", "unit_mismatch"]


# --- CRUD, variants, search --------------------------------------------------------------------------------


def test_create_get_update_delete(build, planner):
    cake, flour, sugar = build.product("CAKE", kind="dish"), build.product("FLOUR", unit="kg"), build.product(
        "SUGAR", unit="kg")
    created = planner.post(BOM_URL, {"product": cake.pk, "lines": [
        {"component": flour.pk, "quantity": "0.3"}, {"component": sugar.pk, "quantity": "0.1", "scrap_percent": "5"},
    ]}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["is_default"] is True  # the product's first BOM
    assert [(ln["component"], ln["unit"], ln["line_no"]) for ln in body["lines"]] == [(flour.pk, "kg", 1),
                                                                                       (sugar.pk, "kg", 2)]
    bom_id = body["id"]
    assert planner.get(f"{BOM_URL}{bom_id}").json()["product_detail"]["sku"] == "CAKE"
    updated = planner.put(f"{BOM_URL}{bom_id}/", {"product": cake.pk, "variant": "main", "version": 1,
                                                  "lines": [{"component": flour.pk, "quantity": "0.35"}]},
                          format="json")
    assert updated.status_code == 200, updated.content
    assert [ln["quantity"] for ln in updated.json()["lines"]] == ["0.350"]
    patched = planner.patch(f"{BOM_URL}{bom_id}/", {"notes": "less flour"}, format="json")
    assert patched.status_code == 200 and patched.json()["lines"][0]["quantity"] == "0.350"
    assert planner.delete(f"{BOM_URL}{bom_id}/").status_code == 204
    assert not BillOfMaterials.objects.filter(pk=bom_id).exists()


def test_create_refuses_invalid_lines_naming_them(build, planner):
    cake, flour = build.product("CAKE"), build.product("FLOUR", unit="kg")
    response = planner.post(BOM_URL, {"product": cake.pk, "lines": [
        {"component": flour.pk, "quantity": "1", "unit": "g"}, {"component": cake.pk, "quantity": "1"},
    ]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {p["code"] for p in body["problems"]} == {"unit_mismatch", "self_component"}
    assert any("FLOUR" in message for message in body["lines"])


def test_create_refuses_zero_quantity(build, planner):
    cake, flour = build.product("CAKE"), build.product("FLOUR")
    response = planner.post(BOM_URL, {"product": cake.pk, "lines": [{"component": flour.pk, "quantity": "0"}]},
                            format="json")
    assert response.status_code == 400 and response.json()["problems"][0]["code"] == "non_positive_quantity"


def test_variants_copy_and_one_default(three_levels, planner):
    source = three_levels["bom"]
    response = planner.post(f"{BOM_URL}variants", {"source": source.pk, "variant": "summer"}, format="json")
    assert response.status_code == 201, response.content
    summer = response.json()
    assert (summer["variant"], summer["version"], summer["is_default"]) == ("summer", 1, False)
    assert len(summer["lines"]) == 2
    next_version = planner.post(f"{BOM_URL}variants", {"source": source.pk, "make_default": True}, format="json")
    assert next_version.json()["version"] == 2 and next_version.json()["is_default"] is True
    listing = planner.get(f"{BOM_URL}variants?product={three_levels['dish'].pk}").json()
    assert listing["count"] == 3
    assert [row["is_default"] for row in listing["results"]].count(True) == 1
    made = planner.post(f"{BOM_URL}{summer['id']}/set-default", format="json")
    assert made.status_code == 200 and made.json()["is_default"] is True
    assert BillOfMaterials.objects.filter(product=three_levels["dish"], is_default=True).get().pk == summer["id"]
    clash = planner.post(f"{BOM_URL}variants", {"source": source.pk, "variant": "summer", "version": 1},
                         format="json")
    assert clash.status_code == 400 and "version" in clash.json()


def test_search_by_product_component_and_where_used(three_levels, planner):
    by_product = planner.get(f"{BOM_URL}search?product=DISH").json()
    assert [r["sku"] for r in by_product["results"]] == ["DISH"]
    by_component = planner.get(f"{BOM_URL}search?component={three_levels['m1'].pk}").json()
    assert sorted(r["sku"] for r in by_component["results"]) == ["DISH", "SEMI1", "SEMI2"]
    used = planner.get(f"{BOM_URL}search?where_used=M2").json()["results"]
    assert [(r["sku"], r["level"]) for r in used] == [("SEMI2", 1), ("SEMI1", 2), ("DISH", 3)]
    assert used[2]["path"] == ["DISH", "SEMI1", "SEMI2", "M2"]
    assert planner.get(f"{BOM_URL}search").status_code == 400
    assert planner.get(f"{BOM_URL}search?where_used=UNKNOWN").status_code == 400


def test_where_used_service_levels(three_levels):
    levels = {w.product_id: w.level for w in where_used(three_levels["semi2"].pk)}
    assert levels == {three_levels["semi1"].pk: 1, three_levels["dish"].pk: 2}


def test_list_is_filterable_and_paginated(three_levels, planner):
    body = planner.get(f"{BOM_URL}?component={three_levels['m1'].pk}&page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert planner.get(f"{BOM_URL}?page_size=5000").status_code == 400


def test_bulk_upsert_from_lines_is_idempotent_and_validated(build):
    from planning.services.bom_import import upsert_boms_from_lines

    build.product("FLOUR", unit="kg"), build.product("EGG"), build.product("DOUGH", kind="semi_finished", unit="kg")
    build.product("PIE", kind="dish")
    lines = [
        {"parent_sku": "PIE", "component_sku": "DOUGH", "quantity": 0.2, "unit": "kg", "scrap_pct": 0.0},
        {"parent_sku": "DOUGH", "component_sku": "FLOUR", "quantity": 0.62, "unit": "kg", "scrap_pct": 2.0},
        {"parent_sku": "DOUGH", "component_sku": "EGG", "quantity": 2, "unit": "pcs", "scrap_pct": 2.0},
        {"parent_sku": "CAKE", "component_sku": "FLOUR", "quantity": 1, "unit": "kg", "scrap_pct": 0},
    ]
    report = upsert_boms_from_lines(lines)
    assert (report.created, report.updated, report.unchanged, report.unknown_skus) == (2, 0, 0, ["CAKE"])
    assert str(report) == "2 created, 0 updated, 0 unchanged, 1 unknown SKUs skipped"
    dough = BillOfMaterials.objects.get(product__sku="DOUGH")
    assert dough.is_default and sorted(dough.lines.values_list("scrap_percent", flat=True)) == [D("2"), D("2")]
    again = upsert_boms_from_lines(lines)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    lines[0]["quantity"] = 0.25
    assert upsert_boms_from_lines(lines).updated == 1
    cyclic = upsert_boms_from_lines([{"parent_sku": "FLOUR", "component_sku": "PIE", "quantity": 1, "unit": "pcs"}])
    assert cyclic.created == 0 and "cycle" in cyclic.refused[0]
