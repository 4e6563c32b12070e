"""Finding an authority from what a person types: its URN, LA code, slug or any of its names.
The CLI, the web, the Python API and an authority's story all look authorities up here."""

from __future__ import annotations

from ilacs.errors import IlacsError
from ilacs.reference.authority import Authority, UnknownAuthority
from ilacs.reference.register import load_register


def find_authority(query: str) -> Authority:
    """An authority by URN, LA code, slug or any of its names."""
    register = load_register()
    text = query.strip()
    if text.isdigit():
        try:
            return register.by_urn(int(text))
        except UnknownAuthority:
            pass
        try:
            return register.by_code(text)
        except UnknownAuthority:
            pass
    try:
        return register.by_slug(text)
    except UnknownAuthority:
        pass
    found = register.match(text)
    if found is None:
        raise IlacsError(f"no local authority called {query!r}; try its URN (e.g. 80419), its "
                         "LA code or its name as Ofsted writes it")
    return found
