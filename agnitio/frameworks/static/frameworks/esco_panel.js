/* ESCO side panel (frameworks/_esco_panel.html): "Insert" puts a skill's label, an occupation's description or the
   chosen skills into a textarea and adds their ESCO URIs to that textarea's URIs field. Which textarea: the panel's
   target, or — when the panel names a group of choices (data-esco-choices, e.g. every learning outcome of a form) —
   the one chosen in its "Insert into" list, which also follows the last of them that had focus; the status line says
   which one received the text. CSP-friendly: no inline code. Without JavaScript the buttons and the list stay hidden
   (and the panel's search opens the plain page). */
(function () {
  "use strict";
  if (window.agnitioEscoPanel) { return; }
  window.agnitioEscoPanel = true;

  function fieldOf(panel, name) {
    var id = panel && panel.getAttribute(name);
    return id ? document.getElementById(id) : null;
  }

  function choicesOf(panel) {
    var group = panel && panel.getAttribute("data-esco-choices");
    if (!group) { return []; }
    return Array.prototype.filter.call(document.querySelectorAll("textarea[data-esco-choice]"), function (area) {
      return area.getAttribute("data-esco-choice") === group && area.id;
    });
  }

  // The name of a choice: its data-esco-label, else the legend of its fieldset, else its label.
  function nameOf(area) {
    var name = area.getAttribute("data-esco-label");
    var fieldset = area.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (!name && legend) { name = legend.textContent; }
    if (!name && area.labels && area.labels.length) { name = area.labels[0].textContent; }
    return (name || area.id).replace(/\s+/g, " ").trim();
  }

  function optionText(panel, area) {
    var words = area.value.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
    var start = words.slice(0, 6).join(" ") + (words.length > 6 ? "…" : "");
    return nameOf(area) + (start ? ": " + start : " " + (panel.getAttribute("data-esco-empty") || ""));
  }

  function selectOf(panel) { return panel.querySelector("[data-esco-into]"); }

  // (Re)builds the "Insert into" list; keeps the chosen one, else the panel's target. Shown from two choices on.
  function fillChoices(panel) {
    var select = selectOf(panel);
    if (!select) { return; }
    var choices = choicesOf(panel);
    var chosen = select.value || panel.getAttribute("data-esco-target");
    select.textContent = "";
    choices.forEach(function (area) {
      var option = document.createElement("option");
      option.value = area.id;
      option.textContent = optionText(panel, area);
      select.appendChild(option);
    });
    if (choices.some(function (area) { return area.id === chosen; })) { select.value = chosen; }
    panel.querySelector("[data-esco-into-row]").hidden = choices.length < 2;
  }

  function relabel(panel, area) {
    var select = selectOf(panel);
    if (!select) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value === area.id) { option.textContent = optionText(panel, area); }
    });
  }

  function panelsChoosing(area) {
    var group = area.getAttribute("data-esco-choice");
    return Array.prototype.filter.call(document.querySelectorAll("[data-esco-panel]"), function (panel) {
      return group && panel.getAttribute("data-esco-choices") === group;
    });
  }

  // The textarea "Insert" writes into and the field keeping its URIs.
  function targetOf(panel) {
    var select = selectOf(panel);
    var area = select && select.value ? document.getElementById(select.value) : null;
    if (area && area.hasAttribute("data-esco-uris")) {
      return { area: area, uris: fieldOf(area, "data-esco-uris"), name: nameOf(area) };
    }
    area = fieldOf(panel, "data-esco-target");
    return area ? { area: area, uris: fieldOf(panel, "data-esco-uris"), name: area.hasAttribute("data-esco-choice") ?
      nameOf(area) : "" } : null;
  }

  function reveal(root) {
    (root || document).querySelectorAll("[data-esco-insert], [data-esco-insert-chosen]").forEach(function (button) {
      if (targetOf(button.closest("[data-esco-panel]"))) { button.hidden = false; }
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
    var target = targetOf(panel);
    if (!target) { return; }
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
    insertText(target.area, texts.join("\n"));
    addUris(target.uris, uris);
    var status = panel.querySelector("[data-esco-status]");
    if (status) {
      var into = panel.getAttribute("data-esco-inserted-into");
      var said = into && target.name ? into.replace("{target}", target.name) : panel.getAttribute("data-esco-inserted");
      status.textContent = said + " " + texts.join(", ");
    }
  });

  // A choice that gets focus becomes the one chosen; typing in one renames it in the list.
  document.addEventListener("focusin", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-esco-choice")) { return; }
    panelsChoosing(area).forEach(function (panel) {
      var select = selectOf(panel);
      if (select) { relabel(panel, area); select.value = area.id; }
    });
  });
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-esco-choice")) { return; }
    panelsChoosing(area).forEach(function (panel) { relabel(panel, area); });
  });

  function start() {
    document.querySelectorAll("[data-esco-panel]").forEach(fillChoices);
    reveal(document);
  }

  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
