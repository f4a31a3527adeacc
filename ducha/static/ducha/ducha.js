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

  // A field form is sent once: a second tap while a slow upload runs would only queue a
  // duplicate (the server would recognise it by its key, but the wait doubles).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-once")) {
      return;
    }
    var button = form.querySelector("button[type=submit][data-busy-label]");
    window.setTimeout(function () {
      if (button) {
        button.setAttribute("data-idle-label", button.textContent);
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy-label");
      }
    }, 0);
  });

  // Coming back to the page from history must not leave the button disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-once] button[data-busy-label][disabled]").forEach(
      function (button) {
        button.disabled = false;
        button.textContent = button.getAttribute("data-idle-label") || button.textContent;
      }
    );
  });
})();
