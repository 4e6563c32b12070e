"""`ilacs show`'s story, `ilacs interventions ...` and `ilacs claims`: printing only."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ilacs.analysis.names import visit_kind_name
from ilacs.analysis.story import Story, describe_claim
from ilacs.cli.common import console, db_option, open_record
from ilacs.ingest.interventions import import_interventions
from ilacs.reference import load_register
from ilacs.reference.interventions import TYPES
from ilacs.store import InspectionRow
from ilacs.store.interventions import (
    Intervention,
    confirm_intervention,
    list_interventions,
)
from ilacs.store.story import ClaimRow, VisitRow, claims_for

_STATUS_STYLE = {"consistent": "green", "contradicts": "bold red", "suggested": "yellow",
                 "unlinked": "dim"}


def print_story(out: Console, story: Story) -> None:
    found = story.authority
    out.print(f"[bold]{escape(found.name)}[/] (URN {found.urn}, LA {found.la_code}, "
              f"{escape(found.region_name or '')})", highlight=False)
    for when, event in story.events:
        stamp = when or "undated"
        if isinstance(event, InspectionRow):
            _print_inspection(out, stamp, event)
        elif isinstance(event, VisitRow):
            _print_visit(out, stamp, event)
        else:
            _print_intervention(out, stamp, event)
    if not story.events:
        out.print("Nothing is recorded for this authority yet.")
    if story.press:
        out.print("\n[bold]In the press[/] (what articles claim, once per article)")
    for claim in story.press:
        stamp = claim.date_as_said or (f"undated (article of {claim.article_date})"
                                       if claim.article_date else "undated")
        _print_claim(out, stamp, claim)


def _print_inspection(out: Console, stamp: str, row: InspectionRow) -> None:
    kind = row.framework or "unknown framework"
    if row.inspection_type:
        kind += f", {row.inspection_type.value}"
    out.print(f"\n[bold]{stamp}[/] Inspection ({kind}) · published {row.publication_date or '?'}"
              f" · lead inspector {escape(row.lead_inspector or 'not named')}", highlight=False)
    for judgement in row.judgements:
        out.print(f"  {judgement.key.replace('_', ' '):40} "
                  f"{judgement.grade.value.replace('_', ' ')}", highlight=False)
    out.print(f"  {row.improvement_item_count} points to improve · {escape(row.document_path)}",
              highlight=False)


def _print_visit(out: Console, stamp: str, row: VisitRow) -> None:
    name = visit_kind_name(row.kind)
    if row.monitoring_visit_number:
        name += f" {row.monitoring_visit_number}"
    theme = (row.focus_theme or "").replace("_", " ")
    names = ", ".join(row.inspectors) or "inspectors not named"
    out.print(f"\n[bold]{stamp}[/] {name} · to {row.visit_end or '?'} · published "
              f"{row.publication_date or '?'} · {escape(names)}", highlight=False)
    if row.focus or theme:
        out.print(f"  focus: {escape(row.focus or '')}" + (f" [dim]({theme})[/]" if theme else ""),
                  highlight=False)
    for point in row.points:
        out.print(f"  - {escape(point)}", highlight=False)
    if not row.points and row.improvement_item_count:
        out.print(f"  {row.improvement_item_count} points to improve (ingest the letter to read "
                  "them)", highlight=False)
    out.print(f"  {escape(row.document_path)}", highlight=False)


def _print_intervention(out: Console, stamp: str, item: Intervention) -> None:
    partner = (f" ({item.person})" if item.person else "") + \
        (f" with {item.partner_name}" if item.partner_name else "")
    state = "" if item.confirmed else " [yellow](suggested, unconfirmed)[/]"
    out.print(f"\n[bold]{stamp}[/] Intervention #{item.id}: {item.type.replace('_', ' ')}"
              f"{escape(partner)}, {item.start_date or '?'} to {item.end_date or 'now'} · "
              f"{item.status}{state}", highlight=False)
    for event in item.events:
        out.print(f"  {event.action} {event.date or '(date not stated)'}: "
                  f"{escape(event.source)}", highlight=False)
    named = {event.source for event in item.events}
    for source in item.sources:
        if source not in named:
            out.print(f"  source: {escape(source)}", highlight=False)


def _print_claim(out: Console, stamp: str, claim: ClaimRow) -> None:
    style = _STATUS_STYLE.get(claim.status, "")
    out.print(f"\n[bold]{stamp}[/] News claim: {escape(describe_claim(claim))} · "
              f"[{style}]{claim.status}[/]", highlight=False)
    if claim.evidence:
        out.print(f"  “{escape(claim.evidence)}”", highlight=False)
    if claim.link_note:
        out.print(f"  {escape(claim.link_note)}", highlight=False)
    out.print(f"  {escape(claim.source_url or claim.article_path)}", highlight=False)


@click.group()
def interventions() -> None:
    """The interventions register: notices, directions, commissioners, trusts, partners.

    \\b
    Example:
        ilacs interventions import curated.yaml
        ilacs interventions list --la "Isle of Wight"
        ilacs interventions confirm 12
    """


@interventions.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.pass_context
def import_command(ctx: click.Context, file: Path, db: str | None) -> None:
    """Add or update interventions from a YAML or CSV file (la, type, partner, start, end,
    status, note, sources), or from a JSON-lines file of sourced events (the format of
    ../shared/reference/interventions/events.jsonl); a bad row stops the import and nothing
    is written."""
    from ilacs.ingest.settle import settle

    conn = open_record(ctx, db)
    result = import_interventions(conn, file)
    settle(conn)
    console.print(f"{file}: {result.added} added, {result.updated} updated.")


@interventions.command("list")
@click.option("--la", "authority", default=None, help="One LA (name, URN or code).")
@click.option("--type", "kind", type=click.Choice(TYPES), default=None,
              help="One kind of intervention.")
@click.option("--active", is_flag=True, help="Only those in force (status active).")
@click.option("--suggested", is_flag=True, help="Only suggestions waiting to be confirmed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the export format).")
@db_option
@click.pass_context
def list_command(ctx: click.Context, authority: str | None, kind: str | None, active: bool,
                 suggested: bool, as_json: bool, db: str | None) -> None:
    """List the register (suggestions from news claims included, marked), each with its
    events (issued, revised, lifted ...) and their sources.

    \b
    Example (who is under a statutory direction today?):
        ilacs interventions list --type statutory_direction --active
    """
    from ilacs.reference import find_authority

    conn = open_record(ctx, db)
    urn = find_authority(authority).urn if authority else None
    items = [item for item in list_interventions(conn, urn)
             if (not suggested or not item.confirmed) and (kind is None or item.type == kind)
             and (not active or item.status == "active")]
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in items], indent=1, ensure_ascii=False))
        return
    table = Table("id", "LA", "type", "partner or person", "start", "end", "status",
                  "confirmed", "events")
    for item in items:
        events = "; ".join(f"{event.action} {event.date or '(date not stated)'}"
                           for event in item.events)
        table.add_row(str(item.id), item.la_name, item.type,
                      item.person or item.partner_name or "", item.start_date or "",
                      item.end_date or "", item.status,
                      "yes" if item.confirmed else "suggested", events)
    console.print(table)


@interventions.command("confirm")
@click.argument("intervention_id", type=int)
@db_option
@click.pass_context
def confirm_command(ctx: click.Context, intervention_id: int, db: str | None) -> None:
    """Confirm a suggestion drawn from a news claim, so it joins the register."""
    from ilacs.ingest.settle import settle

    conn = open_record(ctx, db)
    item = confirm_intervention(conn, intervention_id)
    settle(conn)
    console.print(f"Confirmed #{item.id}: {item.la_name}, {item.type.replace('_', ' ')}.")


@click.command()
@click.argument("authority", required=False)
@click.option("--contradictions", is_flag=True, help="Only claims the record contradicts.")
@db_option
@click.pass_context
def claims(ctx: click.Context, authority: str | None, contradictions: bool,
           db: str | None) -> None:
    """What news articles claim, and whether the record agrees."""
    from ilacs.reference import find_authority

    conn = open_record(ctx, db)
    urn = find_authority(authority).urn if authority else None
    rows = claims_for(conn, urn, "contradicts" if contradictions else None)
    register = load_register()
    for claim in rows:
        who = register.by_urn(claim.urn).name if claim.urn is not None else "no LA"
        _print_claim(console, claim.date or "undated", claim)
        console.print(f"  LA: {escape(who)}", highlight=False)
    if not rows:
        console.print("No claims match. Claims come from news articles and press releases: "
                      "ilacs ingest FOLDER_OF_ARTICLES.")
