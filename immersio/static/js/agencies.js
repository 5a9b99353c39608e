// Immersio: the agency registration form shows only the fields of the chosen kind
// (SIAE type, delegation, referring agency). Without this script every field shows,
// each saying which kind it is for; the server checks them all the same.
(function () {
  "use strict";

  function start() {
    var kind = document.getElementById("id_kind");
    if (!kind) { return; }
    var blocks = document.querySelectorAll("[data-for-kinds]");
    function update() {
      Array.prototype.forEach.call(blocks, function (block) {
        var kinds = (block.getAttribute("data-for-kinds") || "").split(/\s+/);
        block.hidden = kinds.indexOf(kind.value) === -1;
      });
    }
    kind.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
