"""The web dashboard and JSON API: `create_app(settings)` gives the ASGI app `ilacs serve` runs."""

from ilacs.web.app import create_app
from ilacs.web.settings import WebSettings, settings_from_environment

__all__ = ["WebSettings", "create_app", "settings_from_environment"]
