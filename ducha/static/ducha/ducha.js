// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Close the user menu when tapping elsewhere, as people expect from a menu.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  // Ask before irreversible actions; the text comes from the server (already translated).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
