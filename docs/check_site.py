"""Check the built documentation site in a real browser: ``make docs-check`` runs it.

``mkdocs build --strict`` proves that links resolve; it cannot see what a reader sees. This
serves the built site on 127.0.0.1, loads every page in headless Chromium, and asserts on the
DOM the browser ends up with (after the site's JavaScript has run) and on what the browser
fetched:

* lists stay lists: no paragraph holds a list item or a code fence that failed to nest (the
  PyTorch page's feature list, with code blocks inside its items, checked item by item);
* docstring examples are code: every ``>>>`` is inside ``<pre><code>``, one line per line,
  and no page has a quote block (what a bare doctest became);
* math is rendered: every element arithmatex marked holds KaTeX output, no KaTeX error, no
  raw ``$$``, ``\\(`` or ``:math:`` left in the text, and KaTeX itself (script, style, fonts)
  was served by the site, not fetched from elsewhere;
* every function of ``warmcos.presets`` is in the API reference with its signature and doc;
* every ``<img>`` was fetched by the browser and served as a PNG, and every picture in the
  site is shown on some page.

``--screenshots DIR`` also saves PNG screenshots of a few pages, to look at. With no Chromium
on the machine the check says so and exits 0 (``make docs-check`` installs it where it can).

Usage: ``python docs/check_site.py SITE_DIR [--screenshots DIR] [--chromium PATH]``
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import inspect
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# As the machine's notes advise: no background traffic (this machine has no network).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
SCREENSHOTS = {"pytorch": 2600, "family": 2600, "api": 3000, "notebooks": 2200}
VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)


# -- a DOM tree from the HTML Chromium dumps ------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if tag is None or c.tag == tag:
                    found.append(c)
                found.extend(c.iter(tag))
        return found

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> list[Node]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def inside(self, *tags: str) -> bool:
        return any(a.tag in tags for a in self.ancestors())


class _Builder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


# -- the site, served, and what the browser asked for ---------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    served: list[tuple[str, int]]  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.served.append((unquote(urlsplit(self.path).path), int(code)))


class Site:
    """The built site served on 127.0.0.1 (an ephemeral port) for as long as it is open."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.served: list[tuple[str, int]] = []
        handler = type("Handler", (_Handler,), {"served": self.served})
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, page: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{page}"


class Browser:
    def __init__(self, binary: str) -> None:
        self.binary = binary

    def _run(self, *args: str) -> str:
        with tempfile.TemporaryDirectory(prefix="warmcos-chromium-") as profile:
            done = subprocess.run(
                [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        if done.returncode != 0:
            raise RuntimeError(f"{self.binary} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def dom(self, url: str) -> str:
        """The page's DOM once its scripts have run (virtual time lets them finish)."""
        return self._run("--virtual-time-budget=10000", "--dump-dom", url)

    def screenshot(self, url: str, path: Path, height: int) -> None:
        self._run(
            "--virtual-time-budget=10000",
            f"--window-size=1280,{height}",
            f"--screenshot={path}",
            url,
        )


# -- the checks ------------------------------------------------------------------------------


class Failures(list[str]):
    def check(self, ok: object, page: str, message: str) -> None:
        if not ok:
            self.append(f"{page}: {message}")


def article(doc: Node) -> Node:
    found = [n for n in doc.iter("article") if "md-content__inner" in n.classes()]
    return found[0] if found else doc


def prose(node: Node) -> str:
    """The text a reader reads as prose: everything outside code and rendered math."""
    out = []
    for c in node.children:
        if isinstance(c, str):
            out.append(c)
        elif c.tag not in {"code", "pre", "script", "style"} and not (
            c.classes() & {"katex", "katex-display"}
        ):
            out.append(prose(c))
    return "".join(out)


def check_lists(body: Node, page: str, failures: Failures) -> None:
    """A list or fence that failed to nest shows as text: ``- item`` or ``` in a paragraph."""
    for p in body.iter("p"):
        text = prose(p)
        failures.check(
            not re.search(r"(^|\n)\s*([-*+]|\d+\.) \S", text),
            page,
            f"a list item rendered as text in a paragraph: {text[:120]!r}",
        )
        failures.check("```" not in text, page, f"a code fence shown as text: {text[:120]!r}")


def check_pytorch_list(body: Node, failures: Failures) -> None:
    items = {
        "Closed form at every step": False,
        "Per-group values": True,
        "Compiled optimizers": True,
        "Skipped updates": True,
        "Checkpoints with a resume policy": False,
        "Works unchanged": False,
        "The same numbers as the anchors": False,
        "Cheap per step": False,
    }
    lists = [ul for ul in body.iter("ul") if "Closed form at every step" in ul.text()]
    failures.check(lists, "pytorch", "no list holds 'Closed form at every step'")
    if not lists:
        return
    ul = lists[-1]  # the innermost list that holds it
    lis = [c for c in ul.children if isinstance(c, Node) and c.tag == "li"]
    heads = [li.iter("strong")[0].text() if li.iter("strong") else li.text()[:40] for li in lis]
    failures.check(heads == list(items), "pytorch", f"the feature list's items are {heads}")
    for li, head in zip(lis, heads, strict=False):
        if items.get(head):
            failures.check(
                li.iter("pre"), "pytorch", f"the item {head!r} lost its nested code block"
            )
    compiled = [li for li, h in zip(lis, heads, strict=False) if h == "Compiled optimizers"]
    failures.check(
        compiled and "Tested: zero recompilations" in compiled[0].text(),
        "pytorch",
        "the paragraph after the compiled-optimizer code is not in its list item",
    )


def check_code(body: Node, page: str, failures: Failures) -> int:
    """Every doctest prompt is in a code block, one line each; returns how many there are."""
    failures.check(not body.iter("blockquote"), page, "a quote block (a bare doctest?)")
    leaked = prose(body).count(">>>")
    failures.check(leaked == 0, page, f"{leaked} '>>>' prompts outside code")
    prompts = 0
    for pre in body.iter("pre"):
        text = pre.text()
        prompts += len(re.findall(r"^>>> ", text, re.MULTILINE))
        failures.check(
            text.count(">>>") == len(re.findall(r"^>>>", text, re.MULTILINE)),
            page,
            f"a code block runs its lines together: {text[:120]!r}",
        )
        failures.check(pre.iter("code"), page, f"<pre> without <code>: {text[:80]!r}")
    return prompts


def check_math(body: Node, page: str, failures: Failures) -> int:
    """Every math element holds KaTeX's output; returns how many there are."""
    marked = [n for n in body.iter() if "arithmatex" in n.classes()]
    for node in marked:
        failures.check(
            any("katex" in n.classes() for n in node.iter()),
            page,
            f"math not rendered: {node.text()[:80]!r}",
        )
    errors = [n for n in body.iter() if "katex-error" in n.classes()]
    failures.check(not errors, page, f"KaTeX errors: {[e.text()[:80] for e in errors]}")
    text = prose(body)
    for raw in ("$$", "\\(", "\\[", ":math:", ".. math::"):
        failures.check(raw not in text, page, f"raw {raw!r} in the text")
    return len(marked)


def check_presets(body: Node, failures: Failures) -> int:
    import warmcos.presets

    names = list(warmcos.presets.__all__)
    functions = [n for n in names if inspect.isfunction(getattr(warmcos.presets, n))]
    ids = {n.attrs.get("id"): n for n in body.iter() if "id" in n.attrs}
    for name in names:
        heading = ids.get(f"warmcos.presets.{name}")
        failures.check(heading is not None, "api", f"warmcos.presets.{name} is missing")
        if heading is None or heading.parent is None:
            continue
        doc = heading.parent
        failures.check(
            name not in functions or any("doc-signature" in n.classes() for n in doc.iter()),
            "api",
            f"warmcos.presets.{name} has no signature",
        )
        contents = [n for n in doc.iter() if "doc-contents" in n.classes()]
        failures.check(
            contents and len(prose(contents[0]).strip()) > 20,
            "api",
            f"warmcos.presets.{name} has no documentation",
        )
    return len(functions)


def check_images(body: Node, page: str, site: Site, failures: Failures, shown: set[Path]) -> None:
    served = dict(site.served)
    base = page.rstrip("/") + "/" if page else ""
    for img in body.iter("img"):
        src = img.attrs.get("src", "")
        failures.check(src and "://" not in src, page, f"an image that is not in the site: {src!r}")
        path = posixpath.normpath("/" + base + src) if src else ""
        resolved = (site.root / path.lstrip("/")).resolve()
        shown.add(resolved)
        failures.check(served.get(path) == 200, page, f"the browser did not load {path}")
        failures.check(
            resolved.is_file() and resolved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n",
            page,
            f"{path} is not a PNG",
        )
        failures.check(img.attrs.get("alt"), page, f"{path} has no alt text")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--chromium")
    args = parser.parse_args(argv)
    binary = args.chromium or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if binary is None:
        print(
            "docs-check: SKIPPED: no Chromium on this machine (apt-get install chromium, "
            "as root, or pass --chromium PATH); the site was built but not checked in a browser"
        )
        return 0
    root = args.site.resolve()
    pages = sorted(
        p.parent.relative_to(root).as_posix()
        for p in root.rglob("index.html")
        if "assets" not in p.parts
    )
    pages = ["" if p == "." else p for p in pages]
    browser = Browser(binary)
    failures = Failures()
    shown: set[Path] = set()
    counts = {"pages": 0, "prompts": 0, "math": 0, "presets": 0, "images": 0}
    with Site(root) as site:
        for page in pages:
            name = page or "index"
            site.served.clear()
            doc = parse(browser.dom(site.url(page + "/" if page else "")))
            body = article(doc)
            counts["pages"] += 1
            check_lists(body, name, failures)
            counts["prompts"] += check_code(body, name, failures)
            counts["math"] += check_math(body, name, failures)
            check_images(body, page, site, failures, shown)
            counts["images"] += len(body.iter("img"))
            scripts = [s.attrs["src"] for s in doc.iter("script") if "src" in s.attrs]
            failures.check(
                all("://" not in s for s in scripts), name, f"a script from elsewhere: {scripts}"
            )
            if page == "pytorch":
                check_pytorch_list(body, failures)
            if page == "api":
                counts["presets"] = check_presets(body, failures)
                fetched = {path for path, code in site.served if code == 200}
                for asset in ("katex.min.js", "katex.min.css", ".woff2"):
                    failures.check(
                        any(asset in f and "/assets/katex/" in f for f in fetched),
                        name,
                        f"KaTeX's {asset} was not served by the site",
                    )
                failures.check(
                    check_math(body, name, Failures()) >= 10, name, "fewer than 10 formulas"
                )
            if args.screenshots and page in SCREENSHOTS:
                args.screenshots.mkdir(parents=True, exist_ok=True)
                out = args.screenshots / f"{name}.png"
                browser.screenshot(site.url(page + "/"), out, SCREENSHOTS[page])
    pictures = {p.resolve() for p in root.rglob("*.png") if "assets" not in p.parts}
    for missing in sorted(pictures - shown):
        failures.append(f"{missing.relative_to(root)} is on no page")
    failures.check(counts["presets"] >= 28, "api", f"only {counts['presets']} presets")
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    if failures:
        print(f"docs-check: {len(failures)} problems ({summary}):")
        for f in failures:
            print(f"  {f}")
        return 1
    print(f"docs-check: the site renders right in {binary} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
