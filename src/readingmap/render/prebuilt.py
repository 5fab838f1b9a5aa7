"""A page whose body the package writes as HTML itself (resource, result and question pages):
:class:`PrebuiltPage`, for the MkDocs hooks to fill into the theme's page and for
``readingmap render`` to write as Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from .addresses import front_matter
from .fragments import Fragments
from .markup import md_text

__all__ = ["IMPROVE_SECTION", "PrebuiltPage", "render_body"]

#: The last section of an entry's page, when the site names its repository: how to correct the entry.
IMPROVE_SECTION = ("improve-this-entry", "Improve this entry")


@dataclass(frozen=True)
class PrebuiltPage:
    """A page whose body the package writes as HTML itself: a resource, result or question page.

    The MkDocs hooks put :meth:`body` into the theme's page once rendered for all of them, instead
    of running each page through Markdown and the templates (at 10,000 resources that took most of
    the build); :meth:`markdown` is the same page as a Markdown source (``readingmap render``),
    which MkDocs renders to the same body: headings as Markdown, everything else raw HTML.
    """

    title: str
    description: str
    lead: str
    sections: tuple[tuple[str, str, str], ...]  # (anchor, heading, HTML)
    search_text: str
    ui: Fragments = field(compare=False, repr=False)

    #: :meth:`body`, when it was rendered already (kept with the page in the build cache).
    rendered_body: str | None = field(default=None, compare=False, repr=False)
    #: Highwire Press ``citation_*`` meta tags for the page's head, as (name, content) pairs.
    citation: tuple[tuple[str, str], ...] = ()

    def body(self) -> str:
        """The page content after the ``<h1>``, exactly as MkDocs renders :meth:`markdown` with the
        site's Markdown settings (``toc: permalink: true``); a test compares the two."""
        if self.rendered_body is not None:
            return self.rendered_body
        return render_body(self.ui, self.lead, self.sections)

    def markdown(self) -> str:
        return "\n".join([
            front_matter(self.title, self.description, citation=self.citation),
            self.ui("page_title.html", title=self.title) + "\n",
            self.lead + "\n",
            *(f"## {md_text(heading)}\n\n{html}\n" for _anchor, heading, html in self.sections),
        ])


def render_body(ui: Fragments, lead: str, sections: Iterable[tuple[str, str, str]]) -> str:
    """A prebuilt page's content after the ``<h1>``: the lead, then each section under its heading."""
    return "\n\n".join([lead, *(ui("section.html", anchor=anchor, heading=heading, html=Markup(html))
                                 for anchor, heading, html in sections)])
