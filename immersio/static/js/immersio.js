// Immersio: small progressive enhancements. No inline script anywhere (strict CSP).
(function () {
  "use strict";
  // Focus the main region after following the skip link, for screen readers.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (link) {
      var main = document.getElementById("contenu");
      if (main) { main.focus(); }
    }
  });
})();
