"""iiko org stream: `corporation/departments` (and, with option include_stores, `corporation/stores`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - types only; parsing is defusedxml in session.parse_xml

from django.utils.translation import gettext

from branches.choices import LocationType
from branches.services.org_sync import OrgFeedError, OrgNode, apply_org_feed
from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.iiko.session import IikoSession
from integrations.errors import ResponseFormatError
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress

# Types whose own `code` is the TCO code that names the 1C branch they belong to, unless a codeTco is sent.
CODE_IS_TCO_TYPES = frozenset({LocationType.DEPARTMENT, LocationType.MANUFACTURE, LocationType.CENTRALSTORE})


def _text(item: ET.Element, *tags: str) -> str:
    for tag in tags:
        element = item.find(tag)
        if element is not None and element.text and element.text.strip():
            return element.text.strip()
    return ""


def nodes_from_xml(root: ET.Element, *, account: str, path: str, item_tag: str = "corporateItemDto"
                   ) -> list[OrgNode]:
    if root.tag not in ("corporateItemDtoes", "corporateItemDtos", item_tag + "es", item_tag + "s"):
        raise ResponseFormatError(gettext("expected a <corporateItemDtoes> list, got <%(tag)s>") % {
                                      "tag": root.tag,
                                  }, account=account,
                                  method="GET", path=path)
    nodes = []
    for item in root.iter(item_tag):
        node_type = _text(item, "type").upper() or LocationType.OTHER
        code = _text(item, "code")
        explicit_tco = _text(item, "codeTco", "codeTCO", "tcoCode")
        nodes.append(OrgNode(
            external_id=_text(item, "id"),
            parent_external_id=_text(item, "parentId") or None,
            code=code,
            code_tco=explicit_tco or (code if node_type in CODE_IS_TCO_TYPES else ""),
            name=_text(item, "name"),
            type=node_type,
            taxpayer_id_number=_text(item, "taxpayerIdNumber", "jurPersonAdditionalPropertiesDto/taxpayerId"),
        ))
    return nodes


def fetch_org_nodes(iiko: IikoSession, *, include_stores: bool = False) -> list[OrgNode]:
    path = "corporation/departments"
    nodes = nodes_from_xml(iiko.get_xml(path, params={"revisionFrom": -1}), account=iiko.account_name,
                           path=f"/resto/api/{path}")
    if include_stores:
        path = "corporation/stores"
        nodes += nodes_from_xml(iiko.get_xml(path, params={"revisionFrom": -1}), account=iiko.account_name,
                                path=f"/resto/api/{path}")
    return nodes


@register_connector(IntegrationKind.IIKO, SyncStream.ORG)
def sync_iiko_org(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    progress.phase("Reading departments from iiko")
    with IikoSession.for_account(account) as iiko:
        nodes = fetch_org_nodes(iiko, include_stores=bool(account.options.get("include_stores", False)))
    progress.phase("Read departments from iiko", done=len(nodes), total=len(nodes))
    try:
        result = apply_org_feed(account, nodes, run=run, progress=progress)
    except OrgFeedError as exc:
        raise ResponseFormatError(str(exc), account=account.name) from None
    return SyncOutcome(read=result.read, created=result.created, updated=result.updated, unchanged=result.unchanged,
                       skipped=result.skipped, details=result.as_dict())
