"""Rendering a page's data: as HTML through its Jinja2 template, or as JSON.

JSON is written by pydantic from the page's dataclass, so it has exactly the shape the
OpenAPI document describes (`schema_of` gives the same schema the tests validate against).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import TypeAdapter

from ilacs.analysis.grades import GRADE_SCORE, JUDGEMENT_NAMES
from ilacs.analysis.names import framework_name, grade_name, long_date
from ilacs.extract.models import Grade
from ilacs.web import urls


def grade_rank(value: Grade | str | None) -> int:
    """How tables sort grades: outstanding highest, no grade lowest."""
    return GRADE_SCORE[Grade(value)] if value else 0


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ilacs.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(long_date=long_date, grade_name=grade_name,
                       framework_name=framework_name)
    env.globals.update(urls=urls, judgement_names=JUDGEMENT_NAMES, grade_rank=grade_rank)
    return env


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
