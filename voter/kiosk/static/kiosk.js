// Kiosk ballot helper: shows how many options each contest has chosen and
// stops the voter from choosing more than the contest allows. The kiosk
// checks the limits again on its side; the page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("fieldset.contest").forEach(function (fs) {
    var max = parseInt(fs.dataset.max, 10);
    var boxes = Array.prototype.slice.call(fs.querySelectorAll("input[type=checkbox]"));
    var count = fs.querySelector(".count");
    function update() {
      var n = boxes.filter(function (b) { return b.checked; }).length;
      var full = n >= max;
      boxes.forEach(function (b) {
        b.disabled = full && !b.checked;
        b.setAttribute("aria-disabled", b.disabled ? "true" : "false");
      });
      var text = count.dataset.template.replace("%d", n).replace("%d", max);
      if (full) { text += " " + count.dataset.full; }
      count.textContent = text;
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
  // A scanner types the code and presses Enter: nothing more is needed.
  var code = document.getElementById("code");
  if (code) { code.focus(); }
});
