"""Rendering a page's data: as HTML through its Jinja2 template, or as JSON.

JSON is written by pydantic from the page's dataclass, so it has exactly the shape the
OpenAPI document describes (`schema_of` gives the same schema the tests validate against).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from pydantic import TypeAdapter

from ilacs.analysis.grades import GRADE_SCORE, JUDGEMENT_NAMES
from ilacs.analysis.names import framework_name, grade_name, long_date
from ilacs.extract.models import Grade
from ilacs.reference import load_register
from ilacs.statistics.units import unit_name
from ilacs.web import urls
from ilacs.web.charts import context_chart, grade_boxes, grade_history_chart, grade_letter
from ilacs.web.pages.common import AuthorityRef
from ilacs.web.tile_labels import tile_label_fit
from ilacs.web.trend_chart import share_trend_chart, theme_trend_chart


def grade_rank(value: Grade | str | None) -> int:
    """How tables sort grades: outstanding highest, no grade lowest."""
    return GRADE_SCORE[Grade(value)] if value else 0


class AuthorityOptions:
    """The `<option>`s of an authority picker, escaped once per list of authorities: a
    template loop over 153 of them was half the cost of rendering a search page."""

    def __init__(self) -> None:
        # Keyed by the list's identity (pages reuse one list per record version), holding
        # the list itself so its id cannot be reused while cached.
        self._made: dict[int, tuple[Sequence[AuthorityRef], dict[int, str], str]] = {}

    def __call__(self, refs: Sequence[AuthorityRef], selected: int | None = None) -> Markup:
        made = self._made.get(id(refs))
        if made is None or made[0] is not refs:
            options = {ref.urn: f'<option value="{ref.urn}">{escape(ref.name)}</option>'
                       for ref in refs}
            made = (refs, options, "".join(options.values()))
            if len(self._made) >= 8:
                self._made.clear()
            self._made[id(refs)] = made
        _, options, joined = made
        if selected is None or selected not in options:
            return Markup(joined)
        plain = options[selected]
        return Markup(joined.replace(plain, plain.replace('">', '" selected>', 1), 1))


# a web address, or one of this site's authority pages ('/la/isle-of-wight')
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'`]*[^\s<>\"'`.,;:)]|(?<![\w/])/la/[a-z0-9-]+")


def message_html(text: str) -> Markup:
    """A plain-text message (an error's, say) as HTML: `commands` in backticks as code, and
    web addresses as links."""
    parts = []
    for index, part in enumerate(text.split("`")):
        if index % 2:
            parts.append(f"<code>{escape(part)}</code>")
            continue
        last = 0
        for found in _WEB_ADDRESS.finditer(part):
            address = escape(found.group())
            parts += [str(escape(part[last:found.start()])),
                      f'<a class="govuk-link" href="{address}">{address}</a>']
            last = found.end()
        parts.append(str(escape(part[last:])))
    return Markup("".join(parts))


def figure(value: float | None, unit: str = "") -> str:
    """A statistic as pages print it: £1,234 a child, 12.3%, 345.6 per 10,000, 12,345."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit in ("gbp_per_child", "gbp"):
        return f"£{value:,.0f}"
    if unit == "gbp_thousands":
        return f"£{value:,.0f}k"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ilacs.web", "templates"),
        # Templates are package files: asking the file system whether each changed, three
        # stat calls a page, only slowed every render.
        auto_reload=False,
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(long_date=long_date, grade_name=grade_name,
                       framework_name=framework_name, message_html=message_html,
                       figure=figure, unit_name=unit_name, grade_letter=grade_letter,
                       file_size=file_size, tile_label_fit=tile_label_fit)
    env.globals.update(authority_datalist=_authority_datalist(),
                       urls=urls, judgement_names=JUDGEMENT_NAMES, grade_rank=grade_rank,
                       authority_options=AuthorityOptions(), context_chart=context_chart,
                       grade_boxes=grade_boxes, grade_history_chart=grade_history_chart,
                       share_trend_chart=share_trend_chart,
                       theme_trend_chart=theme_trend_chart)
    return env


def file_size(size: int) -> str:
    """A file's size as people read it: "980 bytes", "14 KB", "2.3 MB" (powers of 1,000)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def _authority_datalist() -> Markup:
    """The names the find box suggests: every authority of the register, today's first."""
    register = load_register()
    names = sorted({a.name for a in register.all()}) + sorted(
        {a.name for a in register.all(include_defunct=True)} - {a.name for a in register.all()})
    return Markup("".join(f'<option value="{escape(name)}"></option>' for name in names))


def render_html(template: str, page: object, **context: Any) -> str:
    return environment().get_template(template).render(page=page, **context)


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS.setdefault(model, TypeAdapter(model))
    return adapter


def render_json(page: object) -> bytes:
    return _adapter(type(page)).dump_json(page)


def schema_of(model: type, ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of what `render_json` writes for a `model`."""
    schema: dict[str, Any] = _adapter(model).json_schema(mode="serialization",
                                                         ref_template=ref_template)
    return schema
