"""/docs: the API reference as one server-rendered page. FastAPI's default Swagger UI and ReDoc pages load
their JavaScript and fonts from public CDNs — third-party code inside a logged-in session, and a blank page
on an intranet without internet — so they are switched off and this page lists the same OpenAPI schema."""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from assistant.api_routes.prefix import public

STYLE = """body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px 40px;color:#1f2937}
h1{font-size:22px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #d8dee8;padding-bottom:4px}
.op{border:1px solid #d8dee8;border-radius:6px;padding:10px 14px;margin:10px 0;background:#fff}
.m{display:inline-block;min-width:56px;font-weight:bold;color:#1f5fa8}.p{font-family:monospace}
table{border-collapse:collapse;margin-top:6px;font-size:13px}td,th{border:1px solid #e2e8f0;padding:3px 8px;text-align:left}
pre{background:#f4f6f9;padding:8px;font-size:12px;overflow:auto;max-height:240px}.d{color:#475569;font-size:13px}"""


def _params(op: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td class='p'>{html.escape(p.get('name', ''))}</td><td>{html.escape(p.get('in', ''))}</td>"
        f"<td>{'是' if p.get('required') else ''}</td><td>{html.escape(p.get('description', '') or '')}</td></tr>"
        for p in op.get("parameters", []))
    return f"<table><tr><th>参数</th><th>位置</th><th>必填</th><th>说明</th></tr>{rows}</table>" if rows else ""


def _body(op: dict[str, Any], schemas: dict[str, Any]) -> str:
    content = (op.get("requestBody") or {}).get("content") or {}
    for media, spec in content.items():
        ref = (spec.get("schema") or {}).get("$ref", "")
        schema = schemas.get(ref.rsplit("/", 1)[-1], spec.get("schema", {}))
        text = json.dumps(schema.get("properties", schema), ensure_ascii=False, indent=1)
        return f"<div class='d'>请求体（{html.escape(media)}）</div><pre>{html.escape(text)}</pre>"
    return ""


def render(schema: dict[str, Any], root: str = "") -> str:
    schemas = (schema.get("components") or {}).get("schemas", {})
    groups: dict[str, list[str]] = {}
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            tag = (op.get("tags") or ["其他"])[0]
            desc = f"<div class='d'>{html.escape(op.get('description', ''))}</div>" if op.get("description") else ""
            groups.setdefault(tag, []).append(
                f"<div class='op'><span class='m'>{method.upper()}</span> <span class='p'>{html.escape(path)}</span>"
                f" — {html.escape(op.get('summary', ''))}{desc}{_params(op)}{_body(op, schemas)}</div>")
    sections = "".join(f"<h2>{html.escape(tag)}</h2>{''.join(items)}" for tag, items in groups.items())
    title = html.escape(schema.get("info", {}).get("title", "API"))
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
            "<p class='d'>所有接口（/healthz 除外）都需要在请求头 <code>Authorization: Bearer &lt;API 密钥&gt;</code> 中提供密钥，"
            f"或在浏览器中登录。机器可读的完整定义：<a href='{html.escape(root, quote=True)}/openapi.json'>/openapi.json</a>。</p>"
            f"{sections}</body></html>")


def install_docs_page(app: FastAPI) -> None:
    def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(render(request.app.openapi(), public(request.scope, "")))

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
