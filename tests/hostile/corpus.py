"""The hostile-input corpus, and the text fields of the API read from its OpenAPI document so
that a field added later is covered without a change here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ducha.api.errors import field_of

# Every C0 control but tab, line feed and carriage return; the two non-characters.
CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]
# Refused by every text field, whatever its kind.
ILLEGAL: dict[str, str] = {f"U+{ord(c):04X}": f"前{c}后" for c in CONTROLS}
ILLEGAL["1 MB"] = "x" * 1_000_000
ILLEGAL["10 MB"] = "x" * 10_000_000
# A lone surrogate cannot be a Python str sent through json.dumps; it arrives as this escape.
SURROGATE_JSON = '"前\\ud800后"'
# Legal, and kept exactly as sent.
LEGAL: dict[str, str] = {
    "rtl override": "正常\u202e倒序文字\u202c结束",
    "zero width": "零\u200b宽\u200c连\u200d接\ufeff符",
    "emoji and astral": "😀 𠀀 👩‍👩‍👧 🇨🇳",
    "sql": "'; DROP TABLE problems_problem; -- \" OR 1=1 %_\\",
    "html": "<script>alert(1)</script><img src=x onerror=alert(1)>&amp;&lt;",
    "format strings": "%s %(title)s {0} {{x}} ${HOME} \\N \\x00",
    "combining and wide": "e\u0301 Ｆｕｌｌ ｗｉｄｔｈ ㈠ ﷽",
}


@dataclass(frozen=True)
class TextField:
    method: str
    path: str  # with {params}
    where: str  # "body" or "query"
    name: tuple[str, ...]  # the path to the field inside the body
    max_length: int | None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} {'.'.join(self.name)}"

    @property
    def reported(self) -> str:
        """The field as the 422 names it (list positions are left out)."""
        return field_of([self.where, "payload", *(p for p in self.name if p != "[0]")])


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_text(schema: dict[str, Any]) -> bool:
    # Enums are choices and formatted strings (dates, UUIDs) are parsed, not stored as text.
    return schema.get("type") == "string" and "enum" not in schema and "format" not in schema


def _strings(
    spec: dict[str, Any], schema: dict[str, Any], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    schema = _resolve(spec, schema)
    for option in schema.get("anyOf", []):
        yield from _strings(spec, option, prefix)
    if _is_text(schema):
        yield prefix, schema
    if schema.get("type") == "array" and "items" in schema:
        yield from _strings(spec, schema["items"], (*prefix, "[0]"))
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _strings(spec, schema["additionalProperties"], (*prefix, "key"))
    for name, field_schema in schema.get("properties", {}).items():
        yield from _strings(spec, field_schema, (*prefix, name))


def text_fields(spec: dict[str, Any]) -> list[TextField]:
    found: dict[tuple[Any, ...], TextField] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            method = method.upper()
            for parameter in operation.get("parameters", []):
                schema = _resolve(spec, parameter.get("schema", {}))
                options = [schema, *schema.get("anyOf", [])]
                if parameter["in"] == "query" and any(map(_is_text, options)):
                    limit = next((o.get("maxLength") for o in options if _is_text(o)), None)
                    field = TextField(method, path, "query", (parameter["name"],), limit)
                    found[(method, path, field.name)] = field
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = content["application/json"]["schema"]
            for name, schema in _strings(spec, body, ()):
                field = TextField(method, path, "body", name, schema.get("maxLength"))
                found[(method, path, name)] = field
    return list(found.values())


def nest(name: tuple[str, ...], value: Any) -> Any:
    """A body holding value at name: ("answers", "[0]", "note") → {"answers": [{"note": v}]}."""
    if not name:
        return value
    head, *rest = name
    inner = nest(tuple(rest), value)
    if head == "[0]":
        return [inner]
    return {head: inner}
