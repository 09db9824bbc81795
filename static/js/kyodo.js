/* Kyodo: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var WIDE = "(min-width: 48em)";

  // The staff menu is a <details> so phones can fold it without JavaScript; on wide
  // screens, where it is a sidebar, open it unless the person closed it themselves.
  function openStaffNavOnWideScreens(root) {
    if (!window.matchMedia || !window.matchMedia(WIDE).matches) return;
    root.querySelectorAll("details[data-staff-nav]").forEach(function (details) {
      if (!details.hasAttribute("data-touched")) details.open = true;
      details.addEventListener("toggle", function () {
        details.setAttribute("data-touched", "");
      }, { once: true });
    });
  }

  // A table wider than the screen scrolls inside .table-wrapper; make such a wrapper
  // reachable by keyboard so it can be scrolled with the arrow keys (WCAG 2.1.1).
  function makeScrollableTablesFocusable(root) {
    root.querySelectorAll(".table-wrapper:not([tabindex])").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
        var named = wrapper.hasAttribute("aria-label") || wrapper.hasAttribute("aria-labelledby");
        var caption = wrapper.querySelector("caption");
        if (!named && caption) {
          if (!caption.id) caption.id = "caption-" + Math.random().toString(36).slice(2);
          wrapper.setAttribute("aria-labelledby", caption.id);
          named = true;
        }
        if (named && !wrapper.hasAttribute("role")) wrapper.setAttribute("role", "region");
      }
    });
  }

  // After an htmx swap, focus the error summary of a re-rendered form so screen reader and
  // keyboard users learn what to fix.
  function focusErrorSummary(root) {
    var summary = root.querySelector(".form-errors");
    if (summary) summary.focus();
  }

  function enhance(root) {
    openStaffNavOnWideScreens(root);
    makeScrollableTablesFocusable(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target);
    focusErrorSummary(event.target);
  });
})();
