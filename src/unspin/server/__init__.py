"""``unspin serve``: the HTTP API and the web page for verification desks.

    from unspin.server import Settings, create_app, serve
    serve("127.0.0.1", 8000, "sqlite:///reports.db")       # blocks; what the CLI runs
    app = create_app(Settings(db_url="sqlite:///r.db"))     # an ASGI app, for uvicorn/tests

Modules: ``settings`` (every limit in one object), ``app`` (the app, its lifespan, the page
routes), ``api`` (the ``/api`` routes), ``schemas`` (request and response models),
``analysis`` (requests to articles, bounded analysis workers), ``compare`` (``POST
/api/compare``: several articles read, analysed and compared), ``security`` (tokens, body
limit, loopback guard, CSP), ``errors`` (unspin errors to HTTP statuses), ``view`` (a report
laid out for the page) and ``static/`` (the page: HTML, CSS, JS; no build step).
"""

from unspin.server.app import create_app, serve
from unspin.server.settings import ServeError, Settings

__all__ = ["ServeError", "Settings", "create_app", "serve"]
