"""The FastAPI app of ``unspin serve``: :func:`create_app` and :func:`serve`.

    app = create_app(Settings(db_url="sqlite:///reports.db"))   # for uvicorn, tests
    serve("127.0.0.1", 8000, None)                               # what the CLI calls

The lifespan opens the store (running its migrations) and loads the analysis pipelines once;
routes find both on ``app.state`` through dependencies. The web page is static files under
``/static`` (no build step, nothing from outside the server), served for ``/``,
``/compare``, ``/reports/{id}``, ``/history`` and ``/trends``; ``/docs`` renders the OpenAPI
document (``/openapi.json``) with the server's own script.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from unspin import __version__
from unspin.server import errors
from unspin.server.analysis import AnalysisService
from unspin.server.api import public, router
from unspin.server.schemas import Health
from unspin.server.security import BodyLimit, LoopbackGuard, SecurityHeaders
from unspin.server.settings import Settings, is_loopback
from unspin.server.view import palette_css
from unspin.store import Store, display_url

log = logging.getLogger("unspin.server")

STATIC = Path(__file__).resolve().parent / "static"

_DESCRIPTION = """\
Analyse news articles (text, HTML, a URL or an uploaded file) into unspin reports, compare how
several articles tell the same stories, and search the stored reports. Every report follows
the JSON Schema at `/api/schema`. Errors are `{"detail": "<one line>", "error": "<kind>"}`.
"""


@cache
def _report_css() -> str:
    return (resources.files("unspin.render") / "templates" / "report.css").read_text("utf-8")


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               analysis: AnalysisService | None = None) -> FastAPI:
    """The app for ``settings`` (default: :meth:`Settings.from_env`). Raises
    :class:`~unspin.server.settings.ServeError` for settings that cannot serve safely.

    The store and the pipelines are opened when the app starts (its lifespan), unless they
    are given here already open (:func:`serve` does that, so that a bad database URL or a
    missing model is a one-line error before the server starts); the app closes them when it
    stops either way."""
    settings = settings or Settings.from_env()
    settings.check()
    given_store, given_analysis = store, analysis

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = given_store or await run_in_threadpool(Store, settings.db_url)
        try:
            service = given_analysis or await run_in_threadpool(AnalysisService, settings,
                                                                store)
            if settings.warm_up and given_analysis is None:
                await run_in_threadpool(service.warm_up)
        except BaseException:
            store.close()
            raise
        app.state.store = store
        app.state.analysis = service
        log.info("unspin: store %s", display_url(store.url))
        try:
            yield
        finally:
            service.close()
            store.close()

    app = FastAPI(title="unspin", version=__version__, description=_DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    app.state.settings = settings
    errors.install(app)
    app.include_router(router)
    app.include_router(public)

    @app.get("/healthz", response_model=Health, tags=["meta"],
             summary="Liveness: the store answers and the pipelines are loaded")
    def healthz(request: Request) -> Health:
        store: Store = request.app.state.store
        service: AnalysisService = request.app.state.analysis
        return Health(status="ok", version=__version__, store=store.dialect,
                      reports=store.count(), auth=settings.auth_required,
                      analyses_running=service.running, analysis_slots=service.slots)

    index = STATIC / "index.html"

    def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    for path in ("/", "/compare", "/history", "/trends"):
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)

    @app.get("/reports/{report_id}", include_in_schema=False)
    def report_page(report_id: int) -> FileResponse:
        return page()

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/assets/report.css", include_in_schema=False)
    def report_css() -> Response:
        return Response(_report_css(), media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    @app.get("/assets/palette.css", include_in_schema=False)
    def palette() -> Response:
        return Response(palette_css(), media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Outermost last: headers on everything, then the body limit, then the loopback guard.
    if not settings.auth_required:
        app.add_middleware(LoopbackGuard)
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, db_url: str | None = None, *,
          settings: Settings | None = None, log_level: str = "info", **options) -> None:
    """Run the server until interrupted (what ``unspin serve`` calls).

    ``host``, ``port``, ``db_url``: where to listen and the store's database (None: the
    ``UNSPIN_DB`` variable, else the default SQLite file). ``options``: any other
    :class:`Settings` field (``max_concurrent_analyses=2``, ``allowed_private_hosts=[...]``);
    ``settings`` replaces all of that. Raises :class:`ServeError` (a one-line
    :class:`~unspin.errors.UnspinError`) for settings that cannot serve safely, e.g. a
    non-loopback ``host`` with no ``UNSPIN_API_TOKENS``."""
    import uvicorn

    settings = settings or Settings.from_env(host=host, port=port, db_url=db_url, **options)
    settings.check()
    store = Store(settings.db_url)
    print(f"unspin serve: reports stored in {display_url(store.url)}", flush=True)
    try:
        service = AnalysisService(settings, store)
        if settings.warm_up:
            service.warm_up()
    except BaseException:
        store.close()
        raise
    app = create_app(settings, store=store, analysis=service)
    where = f"[{settings.host}]" if ":" in settings.host else settings.host
    auth = "API tokens required" if settings.auth_required else "no tokens: loopback only"
    print(f"unspin serve: http://{where}:{settings.port}/ ({auth}; API docs at /docs)",
          flush=True)
    if not is_loopback(settings.host):
        print("unspin serve: listening beyond this machine; put TLS in front of it",
              flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level,
                proxy_headers=False, server_header=False, timeout_keep_alive=5)
