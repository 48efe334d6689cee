// Comparison page: jump between changes with the keyboard (n / j: next, p / k: previous), and a print button.
// The page works without this file: every change has "previous / next" links and an anchor.
(function () {
  "use strict";
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  if (!changes.length) { return; }
  document.querySelectorAll("[data-keyboard-hint]").forEach(function (hint) { hint.hidden = false; });

  var current = 0;
  var match = /^#change-(\d+)$/.exec(window.location.hash);
  if (match) { current = parseInt(match[1], 10); }

  function go(index) {
    if (index < 1 || index > changes.length) { return; }
    current = index;
    var target = changes[index - 1];
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#change-" + index);
    }
    changes.forEach(function (change) { change.classList.remove("current"); });
    target.classList.add("current");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  // Following a "next" link by mouse or Tab keeps the keyboard position in step.
  window.addEventListener("hashchange", function () {
    var m = /^#change-(\d+)$/.exec(window.location.hash);
    if (m) { current = parseInt(m[1], 10); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, button, [contenteditable]")) { return; }
    if (event.key === "n" || event.key === "j") {
      go(Math.min(current + 1, changes.length));
      event.preventDefault();
    } else if (event.key === "p" || event.key === "k") {
      go(Math.max(current - 1, 1));
      event.preventDefault();
    }
  });
}());
