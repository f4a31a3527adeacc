// The field app's storage on the phone (docs/field-app.md): the bundle of tasks and the
// outbox of recorded visits, in IndexedDB, and the sending of the outbox to the server.
(function () {
  "use strict";

  var DB_NAME = "ducha-field";
  var BUNDLE = "bundle";
  var OUTBOX = "outbox";
  var opened = null;
  // Set when logging out: the database is being deleted and must not be made again by a
  // save or a refresh still under way on this page.
  var closed = false;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (closed) {
      return Promise.reject(new Error("The field app's data was cleared."));
    }
    if (opened) {
      return opened;
    }
    var req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      db.createObjectStore(BUNDLE);
      db.createObjectStore(OUTBOX, { keyPath: "key" });
    };
    opened = request(req).then(function (db) {
      // Logging out (in this tab or another) deletes the database: let it.
      db.onversionchange = function () {
        db.close();
        opened = null;
        closed = true;
      };
      return db;
    });
    return opened;
  }

  // Before the database is deleted (logging out): nothing of this page may hold it open.
  function close() {
    closed = true;
    if (opened) {
      opened.then(function (db) {
        db.close();
      });
      opened = null;
    }
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      var tx = db.transaction(store, mode);
      var result = request(work(tx.objectStore(store)));
      return new Promise(function (resolve, reject) {
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function getBundle() {
    return run(BUNDLE, "readonly", function (store) {
      return store.get("current");
    });
  }

  function putBundle(bundle) {
    return run(BUNDLE, "readwrite", function (store) {
      return store.put(bundle, "current");
    });
  }

  function listOutbox() {
    return run(OUTBOX, "readonly", function (store) {
      return store.getAll();
    }).then(function (entries) {
      return entries.sort(function (a, b) {
        return a.created_at < b.created_at ? -1 : 1;
      });
    });
  }

  function putEntry(entry) {
    return run(OUTBOX, "readwrite", function (store) {
      return store.put(entry);
    });
  }

  function deleteEntry(key) {
    return run(OUTBOX, "readwrite", function (store) {
      return store.delete(key);
    });
  }

  function clearAll() {
    return Promise.all([
      run(BUNDLE, "readwrite", function (store) {
        return store.clear();
      }),
      run(OUTBOX, "readwrite", function (store) {
        return store.clear();
      }),
    ]);
  }

  function cookie(name) {
    var found = document.cookie.split(";").map(function (part) {
      return part.trim();
    }).filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  // The multipart body of POST /inspections/with-photos for one outbox entry.
  function body(entry) {
    var form = entry.form;
    var counts = {};
    var taken = [];
    var data = new FormData();
    entry.photos.forEach(function (photo) {
      var index = counts[photo.part] || 0;
      counts[photo.part] = index + 1;
      var item = /^item_(\d+)_photos$/.exec(photo.part);
      var name = (item ? "item-" + item[1] : "visit") + "-" + index;
      var details = { photo: name };
      if (photo.captured_at) {
        details.captured_at = photo.captured_at;
      }
      if (typeof photo.latitude === "number") {
        details.latitude = photo.latitude;
        details.longitude = photo.longitude;
        details.accuracy = photo.accuracy;
      }
      taken.push(details);
    });
    var payload = {
      client_key: entry.key,
      task: entry.task,
      visited_at: form.visited_at,
      sites: form.sites,
      members_present: form.members,
      notes: form.notes,
      answers: form.answers.map(function (answer) {
        var out = { item: answer.item, result: answer.result, note: answer.note };
        if (answer.result === "fail") {
          out.title = answer.title;
          out.urgency = answer.urgent ? "urgent" : "normal";
          out.fixed_on_spot = answer.fixed;
          out.evidence_text = answer.evidence_text;
        }
        return out;
      }),
      photos_taken: taken,
    };
    data.append("payload", JSON.stringify(payload));
    entry.photos.forEach(function (photo) {
      data.append(photo.part, photo.blob, photo.name);
    });
    return data;
  }

  function reasonOf(answer) {
    var detail = answer && answer.detail;
    if (typeof detail === "string") {
      return detail;
    }
    if (Array.isArray(detail)) {
      return detail.map(function (error) {
        return (error.field ? error.field + ": " : "") + error.msg;
      }).join(" ");
    }
    return "";
  }

  // Sends one entry; resolves with its new state. Only an answer from the server that
  // refuses the visit marks it refused: no connection, a lost session or a server error
  // leave it waiting, and its key makes a later send safe.
  function send(entry, url) {
    var options = {
      method: "POST",
      body: body(entry),
      credentials: "same-origin",
      headers: { "X-CSRFToken": cookie("csrftoken"), Accept: "application/json" },
    };
    return fetch(url, options).then(
      function (response) {
        return response.json().catch(function () {
          return {};
        }).then(function (answer) {
          var status = response.status;
          var csrf = status === 403 && /CSRF/.test(reasonOf(answer));
          if (status === 200 || status === 201) {
            entry.state = "sent";
            entry.inspection = answer.id;
            entry.problems = (answer.problems || []).length;
            entry.reason = "";
            entry.photos = [];
          } else if (status === 401 || csrf) {
            entry.state = "waiting";
            entry.login = true;
          } else if (status >= 500 || status === 429) {
            entry.state = "waiting";
          } else {
            entry.state = "refused";
            entry.reason = reasonOf(answer) || String(status);
            entry.field = (answer && answer.field) || "";
          }
          entry.tried_at = new Date().toISOString();
          return putEntry(entry).then(function () {
            return entry;
          });
        });
      },
      function () {
        entry.state = "waiting";
        return entry;
      }
    );
  }

  window.FieldStore = {
    open: open,
    close: close,
    getBundle: getBundle,
    putBundle: putBundle,
    listOutbox: listOutbox,
    putEntry: putEntry,
    deleteEntry: deleteEntry,
    clearAll: clearAll,
    send: send,
  };
})();
