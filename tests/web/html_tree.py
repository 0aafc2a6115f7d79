"""A small DOM built with html.parser, so rendering tests assert structure rather than substrings."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def walk(self) -> Iterator["Node"]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str | None) -> list["Node"]:
        """Descendants with this tag and these attribute values (`class_` matches one class)."""
        wanted_class = attrs.pop("class_", None)
        found = []
        for node in self.walk():
            if tag is not None and node.tag != tag:
                continue
            if wanted_class is not None and wanted_class not in (node.attrs.get("class") or "").split():
                continue
            if all(node.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str | None) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def select(self, test: Callable[["Node"], bool]) -> list["Node"]:
        return [node for node in self.walk() if test(node)]

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(str(html))
    builder.close()
    return builder.root


def label_of(root: Node, control: Node) -> str:
    """The accessible name of a control: its aria-label, or the text of the <label for> it."""
    if control.attrs.get("aria-label"):
        return str(control.attrs["aria-label"])
    labels = root.find_all("label", **{"for": control.attrs.get("id")})
    assert labels, f"control {control.attrs} has no label"
    return labels[0].text.strip()
