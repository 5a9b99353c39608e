// Immersio: a live character count under every long text (textarea[data-maxlength]).
// Progressive enhancement: without JavaScript the limit is in the help text and the
// server refuses a text that is too long, with its length; nothing is ever cut.
(function () {
  "use strict";
  var ANNOUNCE_DELAY_MS = 1000; // screen readers hear the count once typing pauses

  function count(text) {
    return Array.from(text).length; // characters as the server counts them
  }

  function number(n) {
    return n.toLocaleString("fr-FR");
  }

  function plural(n, word) {
    return number(n) + " " + word + (n >= 2 ? "s" : ""); // French: 0 and 1 are singular
  }

  function message(length, max) {
    if (length > max) {
      return "Trop long de " + plural(length - max, "caractère") + " : " +
        number(max) + " au maximum. Raccourcissez le texte.";
    }
    return plural(max - length, "caractère") + " restant" + (max - length >= 2 ? "s" : "") +
      " sur " + number(max) + ".";
  }

  function setUp(area) {
    var max = parseInt(area.getAttribute("data-maxlength"), 10);
    // Once per text, even if the page loads this file twice.
    if (!max || !area.id || document.getElementById(area.id + "_counter")) { return; }
    var shown = document.createElement("p");
    shown.id = area.id + "_counter";
    shown.className = "form-text mt-1 mb-0";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", shown);
    shown.insertAdjacentElement("afterend", spoken);
    var timer = null;

    function update(announce) {
      var length = count(area.value);
      var text = message(length, max);
      var over = length > max;
      shown.textContent = text;
      shown.classList.toggle("text-danger", over);
      shown.classList.toggle("fw-semibold", over);
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { spoken.textContent = text; }, ANNOUNCE_DELAY_MS);
      }
    }

    area.addEventListener("input", function () { update(true); });
    update(false);
  }

  document.querySelectorAll("textarea[data-maxlength]").forEach(setUp);
})();
