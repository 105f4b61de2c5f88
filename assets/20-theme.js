/* Dark theme: follows prefers-color-scheme until the reader presses the header's toggle; the choice
   persists in localStorage. Bootstrap 5.3 themes itself from <html data-bs-theme>; the house CSS darkens
   the Plotly figures and the grid from the same attribute, so the server never rebuilds a figure. */
(function () {
  "use strict";
  var KEY = "trade-theme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage blocked: follow the system only
    }
  }

  function chosen() {
    var saved = stored();
    if (saved === "dark" || saved === "light") {
      return saved;
    }
    return media && media.matches ? "dark" : "light";
  }

  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      toggle.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    }
  }

  apply(chosen());
  if (media && media.addEventListener) {
    media.addEventListener("change", function () {
      apply(chosen());
    });
  }
  // Dash renders the header after this script runs: delegate the click, and set aria-pressed once it exists.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("#theme-toggle");
    if (!toggle) {
      return;
    }
    var next = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
    try {
      window.localStorage.setItem(KEY, next);
    } catch (error) {
      /* not remembered, still applied */
    }
    apply(next);
  });
  new MutationObserver(function (records, observer) {
    if (document.getElementById("theme-toggle")) {
      apply(document.documentElement.getAttribute("data-bs-theme"));
      observer.disconnect();
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
