// Immersio: « Copier » buttons (button[data-copy="<id of a field>"]). Progressive
// enhancement: the buttons are hidden until this script shows them; without JavaScript
// the text area can be selected and copied by hand.
(function () {
  "use strict";
  var ANNOUNCE_MS = 4000;

  function announce(text) {
    var live = document.getElementById("copie-annonce");
    if (!live) { return; }
    live.textContent = text;
    window.setTimeout(function () { live.textContent = ""; }, ANNOUNCE_MS);
  }

  function copyByHand(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var label = button.textContent;
    function done(ok) {
      var message = ok ? "Copié !" : "Sélectionnez le texte puis copiez-le (Ctrl+C).";
      button.textContent = ok ? "Copié !" : label;
      announce(message);
      if (!ok) { field.focus(); field.select(); }
      window.setTimeout(function () { button.textContent = label; }, ANNOUNCE_MS);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { done(true); },
        function () { done(copyByHand(field)); }
      );
    } else {
      done(copyByHand(field));
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
