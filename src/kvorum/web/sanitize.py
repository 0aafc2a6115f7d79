"""The one allow-list sanitizer for HTML a requester wrote (instructions, markdown, classic markup).

Everything not listed is dropped: scripts and styles with their content, event handlers, `style`
attributes (the pages' Content-Security-Policy forbids inline styles anyway), `class` and `id`
(so requester HTML cannot dress up as the page's own controls or clobber the names its script
looks up), relative URLs (they would point into kvorum itself) and every URL scheme but http,
https and mailto. Links open in a new tab with rel="noopener noreferrer".
"""

import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "audio", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
        "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
        "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul", "video",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "audio": {"src", "controls", "loop", "muted"},
    "video": {"src", "controls", "loop", "muted", "poster", "width", "height"},
    "source": {"src", "type"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative="deny",
    link_rel="noopener noreferrer",
    set_tag_attribute_values={"a": {"target": "_blank"}},
    strip_comments=True,
)


def sanitize_html(html: str) -> Markup:
    """Requester HTML reduced to the allow-list, safe to place in a worker's page as it is."""
    return Markup(_CLEANER.clean(html))
