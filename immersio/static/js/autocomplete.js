// Immersio: autocomplete fields (WAI-ARIA combobox with a listbox popup).
// Markup: templates/referentials/includes/autocomplete.html. htmx fetches the
// <li role="option"> suggestions into the listbox; this script opens and closes it,
// moves the active option with the keyboard (aria-activedescendant), fills the text and
// the hidden code on choice and announces the number of suggestions. No inline script:
// listeners are delegated from the document, so fields added later work too.
(function () {
  "use strict";
  if (window.immersioAutocomplete) { return; }  // the include may load this file twice
  window.immersioAutocomplete = true;

  var ROOT = "[data-combobox]";

  function parts(root) {
    return {
      root: root,
      input: root.querySelector('[role="combobox"]'),
      listbox: root.querySelector('[role="listbox"]'),
      code: root.querySelector("[data-combobox-code]"),
      status: root.querySelector("[data-combobox-status]")
    };
  }

  function fromEvent(event) {
    var root = event.target.closest && event.target.closest(ROOT);
    return root ? parts(root) : null;
  }

  function options(w) {
    return Array.prototype.slice.call(
      w.listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function isOpen(w) {
    return w.input.getAttribute("aria-expanded") === "true";
  }

  function active(w) {
    var id = w.input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function announce(w, message) {
    if (!w.status) { return; }
    // Emptied first so that the same message is read again.
    w.status.textContent = "";
    window.setTimeout(function () { w.status.textContent = message; }, 50);
  }

  function activate(w, option) {
    var current = active(w);
    if (current) { current.setAttribute("aria-selected", "false"); }
    if (option) {
      option.setAttribute("aria-selected", "true");
      w.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      w.input.removeAttribute("aria-activedescendant");
    }
  }

  function open(w) {
    if (!w.listbox.children.length) { return; }
    w.listbox.hidden = false;
    w.input.setAttribute("aria-expanded", "true");
  }

  function close(w) {
    activate(w, null);
    w.listbox.hidden = true;
    w.input.setAttribute("aria-expanded", "false");
  }

  function choose(w, option) {
    w.input.value = option.getAttribute("data-label") || option.textContent.trim();
    if (w.code) {
      w.code.value = option.getAttribute("data-value") || "";
      w.code.dispatchEvent(new Event("change", { bubbles: true }));
    }
    close(w);
    announce(w, "Choisi : " + w.input.value + ".");
    w.root.dispatchEvent(new CustomEvent("combobox:select", {
      bubbles: true,
      detail: { value: w.code ? w.code.value : "", label: w.input.value }
    }));
  }

  function move(w, step) {
    var list = options(w);
    if (!list.length) { return; }
    open(w);
    var index = list.indexOf(active(w));
    if (index === -1) {
      index = step > 0 ? 0 : list.length - 1;
    } else {
      index = (index + step + list.length) % list.length;
    }
    activate(w, list[index]);
  }

  function countMessage(count) {
    if (count === 0) { return "Aucune suggestion."; }
    if (count === 1) {
      return "1 suggestion. Flèche bas pour la sélectionner, Entrée pour la choisir.";
    }
    return count + " suggestions. Flèches haut et bas pour les parcourir, Entrée pour choisir.";
  }

  // Keyboard.
  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches(ROOT + ' [role="combobox"]')) { return; }
    var w = fromEvent(event);
    var list, current;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) { open(w); } else { move(w, 1); }
        break;
      case "ArrowUp":
        event.preventDefault();
        move(w, -1);
        break;
      case "Home":
      case "End":
        // In the list, the first or last option; in the text, the caret moves as usual.
        if (isOpen(w) && active(w)) {
          event.preventDefault();
          list = options(w);
          activate(w, event.key === "Home" ? list[0] : list[list.length - 1]);
        }
        break;
      case "Enter":
        current = isOpen(w) ? active(w) : null;
        if (current) {
          event.preventDefault();  // choose, do not submit the form
          choose(w, current);
        }
        break;
      case "Escape":
        if (isOpen(w)) {
          event.preventDefault();
          close(w);
        } else if (w.input.value) {
          event.preventDefault();
          w.input.value = "";
          w.listbox.innerHTML = "";
          if (w.code) { w.code.value = ""; }
        }
        break;
      case "Tab":
        close(w);
        break;
    }
  });

  // Typing again: the chosen code no longer matches the text.
  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches(ROOT + ' [role="combobox"]')) { return; }
    var w = fromEvent(event);
    activate(w, null);
    if (w.code && w.code.value) {
      w.code.value = "";
      w.code.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // Suggestions arrived.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target.matches || !event.target.matches(ROOT + ' [role="listbox"]')) { return; }
    var w = fromEvent(event);
    if (!w.listbox.children.length) {
      close(w);
      announce(w, "");
      return;
    }
    activate(w, null);
    if (document.activeElement === w.input) {
      open(w);
      announce(w, countMessage(options(w).length));
    } else {
      close(w);
    }
  });

  // Mouse: keep the focus in the field, choose on click.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(ROOT + ' [role="option"]')) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(ROOT + ' [role="option"]');
    if (!option || option.getAttribute("aria-disabled") === "true") { return; }
    var w = fromEvent(event);
    choose(w, option);
    w.input.focus();
  });

  // Leaving the field closes the list.
  document.addEventListener("focusout", function (event) {
    var w = fromEvent(event);
    if (w && !(event.relatedTarget && w.root.contains(event.relatedTarget))) { close(w); }
  });

  // Enhancement marks: the keyboard hint only makes sense with this script.
  function enhance(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(ROOT), function (root) {
      var hint = root.querySelector("[data-combobox-hint]");
      if (hint) { hint.hidden = false; }
      var w = parts(root);
      if (w.listbox && !isOpen(w)) { w.listbox.hidden = true; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", function (event) {
    if (event.target.querySelectorAll) { enhance(event.target); }
  });
})();
