"""Drop inline scripts that a page would include twice.

sphinx-thebe and sphinx-togglebutton register inline ``<script>`` bodies (``const THEBE_JS_URL =
...``, ``var togglebuttonSelector = ...``) both with the Sphinx registry and with the already
initialised HTML builder, and Sphinx only de-duplicates scripts that have a file name. A page then
declares ``const THEBE_JS_URL`` twice, which the browser reports as a SyntaxError on every page.
This extension keeps the first of identical scripts (same file name, same attributes and body).
"""

from __future__ import annotations


def _key(script) -> tuple:
    filename = getattr(script, "filename", script) or ""        # inline scripts: None or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
