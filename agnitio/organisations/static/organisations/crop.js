/* Rectangle selector for signature/stamp images (an institution's and a host's: organisations/_signature_crop.html).
   Fills the x/y/width/height inputs (in the original image's pixels) of the crop form the stage names
   (data-crop-form="<form id>"); typing in the inputs moves the rectangle. Without JavaScript the same inputs work on
   their own. No dependencies. */
(function () {
  "use strict";
  function init(stage) {
    var img = stage.querySelector("img");
    var box = stage.querySelector("[data-crop-box]");
    var form = (stage.dataset.cropForm && document.getElementById(stage.dataset.cropForm)) ||
      document.querySelector(".crop-form");
    if (!img || !box || !form) return;
    var inputs = {};
    ["x", "y", "width", "height"].forEach(function (k) { inputs[k] = form.querySelector('[data-crop="' + k + '"]'); });
    var naturalW = parseInt(stage.dataset.naturalWidth, 10), naturalH = parseInt(stage.dataset.naturalHeight, 10);
    function scale() { return img.clientWidth ? naturalW / img.clientWidth : 1; }
    function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
    function draw() {
      var s = scale();
      var x = parseInt(inputs.x.value, 10), y = parseInt(inputs.y.value, 10);
      var w = parseInt(inputs.width.value, 10), h = parseInt(inputs.height.value, 10);
      if ([x, y, w, h].some(isNaN) || w <= 0 || h <= 0) { box.hidden = true; return; }
      box.hidden = false;
      box.style.left = (x / s) + "px"; box.style.top = (y / s) + "px";
      box.style.width = (w / s) + "px"; box.style.height = (h / s) + "px";
    }
    function point(ev) {
      var r = img.getBoundingClientRect();
      return { x: clamp(ev.clientX - r.left, 0, r.width), y: clamp(ev.clientY - r.top, 0, r.height) };
    }
    var start = null;
    stage.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) return;
      start = point(ev);
      stage.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    stage.addEventListener("pointermove", function (ev) {
      if (!start) return;
      var p = point(ev), s = scale();
      var x = Math.min(start.x, p.x), y = Math.min(start.y, p.y);
      var w = Math.abs(p.x - start.x), h = Math.abs(p.y - start.y);
      inputs.x.value = Math.round(x * s); inputs.y.value = Math.round(y * s);
      inputs.width.value = Math.min(Math.round(w * s), naturalW - Math.round(x * s));
      inputs.height.value = Math.min(Math.round(h * s), naturalH - Math.round(y * s));
      draw();
    });
    function end() { start = null; }
    stage.addEventListener("pointerup", end);
    stage.addEventListener("pointercancel", end);
    Object.keys(inputs).forEach(function (k) { if (inputs[k]) inputs[k].addEventListener("input", draw); });
    window.addEventListener("resize", draw);
    function ready() { draw(); stage.setAttribute("data-crop-ready", ""); }
    if (img.complete && img.naturalWidth) ready(); else img.addEventListener("load", ready);
  }
  function boot() { document.querySelectorAll("[data-crop-stage]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
