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

  // Photos from a phone camera are often several megabytes; on a slow connection the
  // upload is what takes time. Large pictures are redrawn smaller before they are sent.
  // The server checks and re-encodes every file anyway; without this script the original
  // is sent as it is.
  var SHRINK_ABOVE = 1024 * 1024;
  var MAX_SIDE = 2048;

  function shrink(file) {
    var small = !/^image\/(jpeg|png|webp)$/.test(file.type) || file.size <= SHRINK_ABOVE;
    // createImageBitmap decodes the file directly: a blob: URL in an <img> would need the
    // Content-Security-Policy to allow blob: images, which it does not.
    if (small || typeof createImageBitmap !== "function") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        if (bitmap.close) {
          bitmap.close();
        }
        return new Promise(function (resolve) {
          canvas.toBlob(function (blob) {
            if (!blob || blob.size >= file.size) {
              resolve(file);
              return;
            }
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
          }, "image/jpeg", 0.85);
        });
      })
      .catch(function () {
        return file;
      });
  }

  window.Ducha = window.Ducha || {};
  window.Ducha.shrink = shrink;

  // Logging out leaves nothing of the field app on the device (docs/field-app.md): its kept
  // pages, its tasks and its outbox. Unsent visits are lost then, so the member is asked.
  function unsentVisits() {
    // Looked up without opening (which would create) the database when it is not there.
    if (!window.indexedDB || typeof indexedDB.databases !== "function") {
      return Promise.resolve(0);
    }
    return indexedDB.databases().then(function (found) {
      if (!found.some(function (db) { return db.name === "ducha-field"; })) {
        return 0;
      }
      return new Promise(function (resolve) {
        var request = indexedDB.open("ducha-field");
        request.onerror = function () { resolve(0); };
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("outbox")) {
            db.close();
            resolve(0);
            return;
          }
          var all = db.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = function () {
            db.close();
            resolve(all.result.filter(function (entry) { return entry.state !== "sent"; }).length);
          };
          all.onerror = function () {
            db.close();
            resolve(0);
          };
        };
      });
    }).catch(function () {
      return 0;
    });
  }

  function clearFieldData() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("ducha-field-") === 0;
        }).map(function (name) {
          return caches.delete(name);
        }));
      }));
    }
    if (navigator.serviceWorker) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) {
          return registration.unregister();
        }));
      }));
    }
    if (window.indexedDB) {
      if (window.FieldStore) {
        window.FieldStore.close();
      }
      // "blocked" is not the end: the deletion goes on once other tabs close the database.
      jobs.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase("ducha-field");
        request.onsuccess = request.onerror = resolve;
      }));
    }
    // Never keep the member from logging out: give up waiting after a few seconds.
    return Promise.race([
      Promise.all(jobs).catch(function () {}),
      new Promise(function (resolve) { window.setTimeout(resolve, 3000); }),
    ]);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-clears-field-data") || form.hasAttribute("data-cleared")) {
      return;
    }
    event.preventDefault();
    unsentVisits().then(function (count) {
      if (count && !window.confirm(form.getAttribute("data-clears-field-data"))) {
        return;
      }
      clearFieldData().then(function () {
        form.setAttribute("data-cleared", "");
        form.submit();
      });
    });
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-shrink]")) {
      return;
    }
    if (!input.files || !input.files.length || typeof DataTransfer === "undefined") {
      return;
    }
    var form = input.form;
    var button = form && form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    input.setAttribute("data-shrinking", "");
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (file) {
        transfer.items.add(file);
      });
      input.files = transfer.files;
      input.removeAttribute("data-shrinking");
      if (button) {
        button.disabled = false;
      }
    });
  });

  // A page's print button (the agenda, a summary): the print style sheet hides the rest.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });

  // A table wider than the screen says so under it (the edge shadows show which way).
  function hintWideTables() {
    var words = document.body.getAttribute("data-scroll-hint");
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var hint = box.nextElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      if (wide && !has && words) {
        hint = document.createElement("p");
        hint.className = "scroll-hint no-print";
        hint.setAttribute("data-testid", "scroll-hint");
        hint.textContent = "\u2194 " + words;
        box.insertAdjacentElement("afterend", hint);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", hintWideTables);
  window.addEventListener("resize", hintWideTables);
  document.addEventListener("toggle", hintWideTables, true);
  document.addEventListener("htmx:afterSettle", hintWideTables);
})();
