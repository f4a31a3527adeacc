// Pickers: type part of a name, choose among the matches the lookup API answers. The page
// draws a select holding only the chosen option (ducha/orgs/widgets.py), so without this
// script the form still sends an id; with it, the select is hidden and set from the box.
// A multiple select (PickerMultiple) keeps every chosen row as a selected option, drawn as
// chips under the box; choosing adds one, a chip's button removes it.
(function () {
  "use strict";

  var DELAY = 250;
  var counter = 0;

  function label(item) {
    return item.path.length ? item.name + " — " + item.path.join(" › ") : item.name;
  }

  function enhance(box) {
    if (box.hasAttribute("data-picker-ready")) {
      return;
    }
    box.setAttribute("data-picker-ready", "");
    var select = box.querySelector("select");
    var input = box.querySelector("[data-picker-input]");
    var list = box.querySelector("[data-picker-list]");
    var status = box.querySelector("[data-picker-status]");
    var chips = box.querySelector("[data-picker-chips]");
    var multiple = select.multiple;
    var url = box.getAttribute("data-picker");
    var params = box.getAttribute("data-picker-params");
    var emptyOption = select.querySelector("option[value='']");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var prefix = input.id + "-option-";

    // The field's label now names the box one types in.
    var fieldLabel = document.querySelector("label[for='" + select.id + "']");
    if (fieldLabel) {
      fieldLabel.htmlFor = input.id;
    } else if (!input.hasAttribute("aria-label")) {
      // A picker drawn without a label of its own still says what to type.
      input.setAttribute("aria-label", select.getAttribute("aria-label") || input.placeholder);
    }
    select.hidden = true;
    select.tabIndex = -1;
    input.hidden = false;
    // The browser cannot point at a hidden field it finds empty: the box asks instead.
    var required = select.required;
    input.required = required;
    select.required = false;
    if (select.classList.contains("is-invalid")) {
      input.classList.add("is-invalid");
    }
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) {
      input.setAttribute("aria-describedby", describedBy);
    }

    function chosenText() {
      if (multiple) {
        return "";
      }
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.textContent : "";
    }
    input.value = chosenText();

    function changed() {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function chosenOptions() {
      return Array.prototype.filter.call(select.options, function (option) {
        return option.value && option.selected;
      });
    }

    function drawChips() {
      if (!multiple || !chips) {
        return;
      }
      chips.textContent = "";
      var chosen = chosenOptions();
      chosen.forEach(function (option) {
        var chip = document.createElement("span");
        chip.className = "badge text-bg-light border picker-chip";
        chip.textContent = option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn-close picker-chip-remove";
        remove.setAttribute(
          "aria-label",
          box.getAttribute("data-picker-remove") + " " + option.textContent
        );
        remove.addEventListener("click", function () {
          option.remove();
          drawChips();
          changed();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      input.required = required && chosen.length === 0;
    }
    drawChips();

    function say(text) {
      status.textContent = text || "";
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      items = [];
      active = -1;
    }

    function mark(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, at) {
        var on = at === index;
        option.classList.toggle("active", on);
        option.setAttribute("aria-selected", on ? "true" : "false");
        if (on) {
          option.scrollIntoView({ block: "nearest" });
        }
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", prefix + index);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(item) {
      if (multiple) {
        var known = Array.prototype.find.call(select.options, function (option) {
          return option.value === String(item.id);
        });
        if (known) {
          known.selected = true;
        } else {
          select.add(new Option(label(item), String(item.id), true, true));
        }
        input.value = "";
        input.classList.remove("is-invalid");
        close();
        say("");
        drawChips();
        changed();
        return;
      }
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (option.value) {
          option.remove();
        }
      });
      var option = new Option(label(item), String(item.id), true, true);
      select.add(option);
      input.value = option.textContent;
      input.classList.remove("is-invalid");
      close();
      say("");
      changed();
    }

    function clear() {
      if (!multiple && emptyOption) {
        emptyOption.selected = true;
        Array.prototype.slice.call(select.options).forEach(function (option) {
          if (option.value) {
            option.remove();
          }
        });
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function show(answer) {
      list.textContent = "";
      items = answer.items;
      items.forEach(function (item, index) {
        var li = document.createElement("div");
        li.className = "list-group-item list-group-item-action";
        li.id = prefix + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", String(item.id));
        var name = document.createElement("span");
        name.textContent = item.name;
        li.appendChild(name);
        if (item.path.length) {
          var path = document.createElement("span");
          path.className = "picker-path";
          path.textContent = item.path.join(" › ");
          li.appendChild(path);
        }
        // mousedown, not click: the box must not lose focus (and close) first.
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
      if (!items.length) {
        say(box.getAttribute("data-picker-none"));
      } else {
        say(answer.more ? box.getAttribute("data-picker-more") : "");
      }
    }

    function look() {
      var query = new URLSearchParams(params);
      query.set("q", input.value.trim());
      var mine = ++asked;
      fetch(url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (answer) {
          // An older, slower answer must not replace a newer one.
          if (mine === asked && document.activeElement === input) {
            show(answer);
          }
        })
        .catch(function () {
          if (mine === asked) {
            close();
            say(box.getAttribute("data-picker-failed"));
          }
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(look, DELAY);
    }

    input.addEventListener("input", function () {
      if (!input.value.trim()) {
        clear();
      }
      later();
    });
    input.addEventListener("focus", function () {
      input.select();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          look();
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        mark((active + step + items.length) % items.length);
      } else if (event.key === "Enter") {
        if (!list.hidden) {
          // Choosing must not send the form.
          event.preventDefault();
          choose(items[active >= 0 ? active : 0]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
          input.value = chosenText();
        }
      }
    });
    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      asked++;
      close();
      // Text that names nothing is not left in the box: it shows what will be sent.
      input.value = chosenText();
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("[data-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll(document);
    });
  } else {
    enhanceAll(document);
  }
  // Forms htmx swaps in later (a problem's action forms) get their pickers too.
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
