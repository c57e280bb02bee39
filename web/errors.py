"""Exception → response: JSON `{"error", "detail"[, "fields"]}` for the API, a Chinese page for people. Never a 500
for bad input."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from web.auth import LoginRequired, TooManyAttempts, is_api, login_redirect
from workflow.errors import Conflict, DomainError, Forbidden, InputInvalid, NotFound

log = logging.getLogger("hazardtrack.web")

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InputInvalid: 422}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input",
              429: "too_many_requests"}
HTTP_MESSAGES = {400: "请求格式有误", 401: "请先登录", 403: "无权访问", 404: "页面或记录不存在", 405: "不支持该请求方法",
                 413: "请求内容过大（JSON 不超过 1 MB，上传文件不超过 20 MB）", 415: "不支持的内容类型",
                 429: "请求过于频繁"}


def _respond(request: Request, status: int, code: str, detail: str, fields: dict[str, str] | None = None) -> Response:
    if is_api(request.url.path):
        body: dict[str, Any] = {"error": code, "detail": detail}
        if fields:
            body["fields"] = fields
        return Response(body, status_code=status)
    return Template("error.html", status_code=status, context={"status": status, "detail": detail, "fields": fields})


def domain_error(request: Request, exc: DomainError) -> Response:
    status = STATUS.get(type(exc), 400)
    return _respond(request, status, exc.code, exc.detail, getattr(exc, "fields", None))


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500:
        return internal_error(request, exc)
    if isinstance(exc, ValidationException) or (status == 400 and is_api(request.url.path)):
        # Malformed JSON or a body of the wrong shape: an input error, reported as such.
        return _respond(request, 422, "invalid_input", "请求内容不是有效的 JSON 对象")
    detail = exc.detail if exc.detail and not exc.detail.isascii() else HTTP_MESSAGES.get(status, exc.detail)
    if isinstance(exc, NotFoundException):
        detail = HTTP_MESSAGES[404]
    return _respond(request, status, HTTP_CODES.get(status, "error"), detail)


def internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "系统内部错误，已记录，请联系管理员")


def login_required(request: Request, exc: LoginRequired) -> Response:
    return login_redirect(exc.next_path)


def too_many(request: Request, exc: TooManyAttempts) -> Response:
    response = _respond(request, 429, "too_many_requests", f"登录失败次数过多，请 {exc.wait} 秒后再试")
    response.headers["Retry-After"] = str(exc.wait)
    return response


HANDLERS = {
    DomainError: domain_error,
    HTTPException: http_error,
    LoginRequired: login_required,
    TooManyAttempts: too_many,
    Exception: internal_error,
}
