/* Character counter for every <textarea maxlength>: shows "n / max" under the field (CSP-friendly: no inline
   code; screen readers hear the count through aria-live="polite"). Also for textareas that htmx swaps in. */
(function () {
  "use strict";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-label")) || "characters";

  function update(area, counter) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    var length = area.value.length;
    counter.textContent = length + " / " + max + " " + label;
    counter.classList.toggle("char-count-full", length >= max);
  }

  function attach(area) {
    if (area.dataset.charCount || !area.hasAttribute("maxlength")) return;
    area.dataset.charCount = "1";
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = (area.id || ("textarea-" + Math.random().toString(36).slice(2))) + "-count";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    update(area, counter);
    area.addEventListener("input", function () { update(area, counter); });
  }

  function scan(root) {
    var areas = (root || document).querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < areas.length; i++) attach(areas[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
