// Immersio: small progressive enhancements. No inline script anywhere (strict CSP).
(function () {
  "use strict";
  // Focus the target of a skip link (the main region, the results…), for screen readers.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (link) {
      var target = document.getElementById(link.hash.slice(1)) || document.getElementById("contenu");
      if (target) { target.focus(); }
    }
  });
  // On a phone a table wider than the screen scrolls inside itself (immersio.css): it
  // can then be reached, and scrolled, with the keyboard.
  function focusableScrollingTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && table.hasAttribute("data-scroll-focus")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scroll-focus");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusableScrollingTables);
  } else {
    focusableScrollingTables();
  }
  window.addEventListener("resize", focusableScrollingTables);
})();
