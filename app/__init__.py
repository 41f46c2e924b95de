"""The web layer: a thin Flask app (HTML pages and a JSON API) over the library's public API.

    create_app(config) → Flask application; `rapportsok serve` (app/serve.py) runs it with waitress.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from indexer import Config, load_config

from . import errors
from .state import IndexHolder

# No inline script or style, nothing from elsewhere: what a user typed can never run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(config: Config | None = None, index_dir: str | Path | None = None) -> Flask:
    config = config or load_config()
    if index_dir is not None:
        config = replace(config, index_dir=Path(index_dir))
    app = Flask(__name__)
    app.json.sort_keys = False  # the envelope reads {"ok": …} first
    app.json.ensure_ascii = False
    app.extensions["rapportsok.index"] = IndexHolder(config.index_dir)
    # Absolute links come from the configured base_url, else from the address served on; from a
    # request's X-Forwarded-* headers only behind proxies the config names, never from a bare Host.
    app.config["BASE_URL"] = config.base_url or (None if config.proxies else config.public_url())
    if config.proxies:
        n = config.proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)

    from .api import api
    from .exports import exports
    from .pages import pages

    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(exports, url_prefix="/api")
    errors.init_app(app)

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return app
