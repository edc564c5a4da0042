"""1C org stream: every branch of the exchange service into the location tree (type BRANCH / BRANCH_GROUP)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from branches.choices import LocationType
from branches.services.org_sync import OrgFeedError, OrgNode, apply_org_feed
from integrations.choices import IntegrationKind, SyncStream
from integrations.connectors.onec.client import DEFAULT_PAGE_SIZE, iter_branch_pages, onec_client
from integrations.errors import ResponseFormatError
from integrations.models import IntegrationAccount, SyncRun
from integrations.registry import SyncOutcome, register_connector
from integrations.services.runs import RunProgress


def node_from_item(item: dict[str, Any]) -> OrgNode:
    return OrgNode(
        external_id=str(item.get("id") or "").strip(),
        parent_external_id=item.get("parent_id"),
        code=str(item.get("code") or ""),
        name=str(item.get("name") or ""),
        type=LocationType.BRANCH_GROUP if item.get("is_group") else LocationType.BRANCH,
        taxpayer_id_number=str(item.get("inn") or ""),
    )


@register_connector(IntegrationKind.ONEC, SyncStream.ORG)
def sync_onec_org(run: SyncRun, account: IntegrationAccount, progress: RunProgress) -> SyncOutcome:
    """Read every page first (nothing is stored if any page fails), then apply the feed in one transaction."""
    page_size = int(account.options.get("page_size", DEFAULT_PAGE_SIZE))

    def on_page(page: int, total: int | None, count: int) -> None:
        if total is not None and progress.run.progress_total != total:
            progress.set_total(total)
        progress.phase(f"Read page {page} from 1C", done=progress.run.progress_done + count)

    with onec_client(account) as http:
        nodes = []
        for item in iter_branch_pages(http, page_size=page_size, on_page=on_page):
            if not isinstance(item, dict):
                raise ResponseFormatError(gettext("a branch item is not a JSON object"), account=account.name,
                                          method="GET", path="/branches")
            nodes.append(node_from_item(item))
    try:
        result = apply_org_feed(account, nodes, run=run, progress=progress)
    except OrgFeedError as exc:
        raise ResponseFormatError(str(exc), account=account.name) from None
    details = result.as_dict()
    return SyncOutcome(read=result.read, created=result.created, updated=result.updated, unchanged=result.unchanged,
                       skipped=result.skipped, details=details)
