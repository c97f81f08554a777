/* ESCO side panel (frameworks/_esco_panel.html): "Insert" puts a skill's label, an occupation's description or the
   chosen skills into the panel's target textarea and adds their ESCO URIs to the URIs field. CSP-friendly: no inline
   code. Buttons stay hidden (and the panel's search opens the plain page) without JavaScript. */
(function () {
  "use strict";
  if (window.agnitioEscoPanel) { return; }
  window.agnitioEscoPanel = true;

  function fieldOf(panel, name) {
    var id = panel && panel.getAttribute(name);
    return id ? document.getElementById(id) : null;
  }

  function reveal(root) {
    (root || document).querySelectorAll("[data-esco-insert], [data-esco-insert-chosen]").forEach(function (button) {
      if (fieldOf(button.closest("[data-esco-panel]"), "data-esco-target")) { button.hidden = false; }
    });
  }

  function changed(field) { field.dispatchEvent(new Event("input", { bubbles: true })); }

  function insertText(area, text) {
    var value = area.value;
    area.value = value + (value && !/\n$/.test(value) ? "\n" : "") + text;
    changed(area);
  }

  function addUris(field, uris) {
    if (!field) { return; }
    var lines = field.value.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
    uris.forEach(function (uri) { if (uri && lines.indexOf(uri) < 0) { lines.push(uri); } });
    field.value = lines.join("\n");
    changed(field);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-esco-insert], [data-esco-insert-chosen]");
    if (!button) { return; }
    var panel = button.closest("[data-esco-panel]");
    var area = fieldOf(panel, "data-esco-target");
    if (!area) { return; }
    var texts = [], uris = [];
    if (button.hasAttribute("data-esco-insert")) {
      texts.push(button.getAttribute("data-esco-text"));
      uris.push(button.getAttribute("data-esco-uri"));
    } else {
      button.closest("[data-esco-choose]").querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        texts.push(box.getAttribute("data-esco-text"));
        uris.push(box.value);
      });
    }
    if (!texts.length) { return; }
    insertText(area, texts.join("\n"));
    addUris(fieldOf(panel, "data-esco-uris"), uris);
    var status = panel.querySelector("[data-esco-status]");
    if (status) { status.textContent = panel.getAttribute("data-esco-inserted") + " " + texts.join(", "); }
  });

  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
})();
