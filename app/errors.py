"""One error handler for the whole app: a domain exception or an HTTP error becomes its status,
as the JSON envelope under /api and as a Swedish page elsewhere."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import IndexDamaged, IndexMissing, QueryError

# Each status said in Swedish, on a page and in the API alike (werkzeug's own are English).
MESSAGES = {400: "Begäran kan inte läsas.", 404: "Sidan finns inte.", 405: "Det går inte att göra så här.",
            500: "Något gick fel hos oss.",
            503: "Sökindexet saknas eller kan inte läsas just nu. Den som driver tjänsten bygger om det med "
                 "rapportsok index --rebuild."}


def fail(message: str, status: int):
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    return response


def status_of(exc: Exception) -> tuple[int, str]:
    """The status and the API's Swedish message: a QueryError's, a 404's naming what is missing
    (raised here with a Swedish description), else the status's own (never a server path)."""
    if isinstance(exc, QueryError):
        return 400, str(exc)
    if isinstance(exc, IndexDamaged):
        return 503, str(exc)
    if isinstance(exc, IndexMissing):
        return 503, MESSAGES[503]
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        if exc.description != type(exc).description:  # said by this app
            return code, exc.description
        return code, MESSAGES.get(code, f"Begäran kan inte besvaras ({code} {exc.name}).")
    current_app.logger.exception("unexpected error")
    return 500, MESSAGES[500]


def handle(exc: Exception):
    status, message = status_of(exc)
    if request.path.startswith("/api/"):
        response = fail(message, status)
    else:
        shown = MESSAGES.get(status, message)
        response = current_app.make_response(
            (render_template("error.html", message=shown, status=status, q=request.args.get("q", "")), status))
    if isinstance(exc, HTTPException) and status == 405:
        response.headers["Allow"] = ", ".join(exc.valid_methods or ["GET"])
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle)
