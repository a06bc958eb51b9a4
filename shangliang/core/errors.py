"""Errors that services raise; the HTML views show them, the API maps them to its error format."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "bad_request"
    default_detail: Any = _("请求无效。")

    def __init__(self, detail: Any = None, *, fields: dict[str, list[str]] | None = None) -> None:
        self.detail = str(detail if detail is not None else self.default_detail)
        self.fields = fields or {}
        super().__init__(self.detail)


class Invalid(DomainError):
    status = 422
    code = "invalid"
    default_detail = _("输入有误，请检查后重试。")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_detail = _("您没有执行此操作的权限。")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_detail = _("对象不存在或您无权查看。")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_detail = _("该对象已被他人处理，请刷新后重试。")


def invalid_from_django(exc: Any) -> Invalid:
    """Turn a django ValidationError into Invalid, keeping the per-field messages."""
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        first = next(iter(fields.values()), [None])[0]
        return Invalid(first, fields=fields)
    return Invalid("; ".join(str(m) for m in getattr(exc, "messages", [exc])))


class StorageFull(DomainError):
    """The disk (or quota) holding uploaded files is full: nothing was saved."""

    status = 507
    code = "storage_full"
    default_detail = _("服务器存储空间已满，文件没有保存。请稍后重试，或联系系统管理员。")
