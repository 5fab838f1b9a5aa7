""""Cite this entry": the permalink of an entry's page and a BibTeX ``@misc`` for the entry.

Resource, result and question pages all show it (the ``cite.html`` fragment).
"""

from __future__ import annotations

__all__ = ["cite_data", "permalink"]

SITE_NAME = "The mathematics of deep learning: a reading map"


def bibtex_value(value: str) -> str:
    """Text safe inside a braced BibTeX value: LaTeX's special characters escaped, braces kept
    only when balanced."""
    out = value.replace("\\", "\\textbackslash ")
    for ch in "&%#_":
        out = out.replace(ch, "\\" + ch)
    if out.count("{") != out.count("}"):
        out = out.replace("{", "").replace("}", "")
    return " ".join(out.split())


def cite_data(kind: str, ident: str, name: str, checked: str, url: str) -> dict[str, str]:
    """The permalink and a BibTeX ``@misc`` for an entry of the map (``urldate``, the day the
    reader looks, is added by the page's script: a static page cannot know it)."""
    fields = [("title", bibtex_value(name)), ("howpublished", bibtex_value(f"{SITE_NAME}, {kind} {ident}")),
              ("year", checked[:4]), ("note", f"Entry last checked {checked}"), ("url", url)]
    width = max(len(k) for k, _ in fields)
    body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fields)
    # Without a site URL the permalink is the page's path from the site's root; the link is the page itself.
    return {"permalink": url, "href": url if "://" in url else "./",
            "bibtex": f"@misc{{readingmap-{kind}-{ident},\n{body}\n}}", "checked": checked, "kind": kind}


def permalink(site_url: str | None, src: str) -> str:
    """A page's address: absolute under ``site_url``, else relative to the site's root."""
    path = src.removesuffix("index.md")
    return site_url.rstrip("/") + "/" + path if site_url else path
