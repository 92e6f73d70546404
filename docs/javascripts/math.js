// Render the math that pymdownx.arithmatex marks (generic mode: `\(...\)` in a span,
// `\[...\]` in a div, class "arithmatex") with KaTeX, bundled in assets/katex/.
(function () {
  "use strict";

  function render(root) {
    if (typeof katex === "undefined") {
      return; // no KaTeX (a site built without `make docs`): the LaTeX stays as text
    }
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      var tex = element.textContent.trim();
      var display = element.tagName === "DIV";
      // Strip the delimiters arithmatex wrote: \( \) inline, \[ \] displayed.
      tex = tex.replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
      katex.render(tex, element, { displayMode: display, throwOnError: false });
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function (doc) {
      render(doc.body);
    }); // Material's page observable: also after instant navigation
  } else {
    render(document.body);
  }
})();
