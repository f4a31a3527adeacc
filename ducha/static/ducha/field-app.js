// The offline field app (docs/field-app.md): today's and tomorrow's tasks kept on the phone,
// a visit recorded without a connection goes to the outbox and is sent when one returns.
// Every text shown comes from the server, translated (#field-texts); data is only ever put
// into the page as text, never as HTML.
(function () {
  "use strict";

  var texts = JSON.parse(document.getElementById("field-texts").textContent);
  var config = JSON.parse(document.getElementById("field-config").textContent);
  var store = window.FieldStore;
  var statusBox = document.getElementById("field-status");
  var outboxBox = document.getElementById("field-outbox");
  var appBox = document.getElementById("field-app");
  var state = { bundle: null, outbox: [], login: false, sending: false, editing: null };
  var POSITION_KEY = "ducha-field-position";
  // Sent visits stay listed this long, then leave the phone.
  var KEEP_SENT_MS = 2 * 24 * 3600 * 1000;

  function t(key, values) {
    var text = texts[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("%(" + name + ")s", values[name]);
    });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name.indexOf("on") === 0) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function byId(rows) {
    var found = {};
    (rows || []).forEach(function (row) {
      found[row.id] = row;
    });
    return found;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function localInput(date) {
    var shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return shifted.toISOString().slice(0, 16);
  }

  function formatTime(iso) {
    var date = new Date(iso);
    return isNaN(date) ? "" : localInput(date).replace("T", " ");
  }

  // --- status and outbox -------------------------------------------------------------------

  function renderStatus() {
    var online = navigator.onLine;
    var parts = [
      el("span", {
        // A long sentence on a phone: it wraps like text, unlike Bootstrap's badges.
        class: "badge text-wrap text-start lh-base " + (online ? "text-bg-success" : "text-bg-warning"),
        "data-online": online ? "1" : "0",
        text: online ? t("online") : t("offline"),
      }),
    ];
    if (state.bundle) {
      parts.push(" ", el("span", { class: "small text-body-secondary", text: t("dataAsOf", { time: formatTime(state.bundle.generated_at) }) }));
    }
    statusBox.replaceChildren.apply(statusBox, parts);
    if (state.login) {
      statusBox.appendChild(
        el("div", { class: "alert alert-warning mt-2 mb-0", "data-testid": "sign-in-again" }, [
          t("signIn") + " ",
          el("a", { href: config.login, text: t("signInLink") }),
        ])
      );
    }
    if (state.bundle && state.bundle.truncated) {
      statusBox.appendChild(el("div", { class: "alert alert-info mt-2 mb-0", text: t("truncated") }));
    }
  }

  function entryCard(entry) {
    var badge = { waiting: "text-bg-secondary", sending: "text-bg-info", sent: "text-bg-success", refused: "text-bg-danger" }[entry.state];
    var body = [
      el("div", { class: "d-flex justify-content-between gap-2" }, [
        el("span", { class: "fw-semibold", text: entry.title }),
        el("span", { class: "badge " + badge, "data-testid": "entry-state", text: t(entry.state) }),
      ]),
      el("div", { class: "small text-body-secondary", text: formatTime(entry.form.visited_at) }),
    ];
    if (entry.state === "sent") {
      body.push(
        el("div", { class: "small", text: t("problemsFound", { count: entry.problems || 0 }) }),
        el("a", { class: "btn btn-link btn-tap px-0", href: config.inspection.replace("/0/", "/" + entry.inspection + "/"), "data-testid": "sent-visit", text: t("openVisit") })
      );
    }
    if (entry.state === "refused") {
      body.push(
        el("div", { class: "alert alert-danger py-2 my-2", role: "alert", "data-testid": "refusal", text: entry.reason }),
        el("div", { class: "d-flex gap-2" }, [
          el("button", { type: "button", class: "btn btn-outline-primary btn-tap", "data-testid": "edit-entry", text: t("editResend"), onclick: function () { editEntry(entry); } }),
          el("button", { type: "button", class: "btn btn-outline-danger btn-tap", "data-testid": "discard-entry", text: t("discard"), onclick: function () { discard(entry); } }),
        ])
      );
    }
    return el("li", { class: "list-group-item", "data-outbox-key": entry.key, "data-state": entry.state, "data-task": entry.task }, body);
  }

  function renderOutbox() {
    var waiting = state.outbox.some(function (entry) {
      return entry.state === "waiting";
    });
    var header = el("div", { class: "d-flex justify-content-between align-items-center gap-2 mb-1" }, [
      el("h2", { class: "h5 mb-0", id: "outbox-title", text: t("outbox") }),
      waiting ? el("button", { type: "button", class: "btn btn-primary btn-tap", "data-testid": "send-now", text: t("sendNow"), onclick: sendAll }) : null,
    ]);
    var list = state.outbox.length
      ? el("ul", { class: "list-group" }, state.outbox.map(entryCard))
      : el("p", { class: "text-body-secondary small mb-0", text: t("outboxEmpty") });
    outboxBox.replaceChildren(header, list);
  }

  // --- tasks -------------------------------------------------------------------------------

  function taskHeading(task) {
    var sites = byId(state.bundle.sites);
    if (task.named_sites) {
      return task.sites.map(function (id) { return sites[id] ? sites[id].name : ""; }).join("、");
    }
    return task.team.name;
  }

  // The visit of this task already in the outbox (a refused one may be recorded anew).
  function inOutbox(task) {
    return state.outbox.filter(function (entry) {
      return entry.task === task.id && entry.state !== "refused";
    })[0];
  }

  function renderTasks() {
    state.editing = null;
    if (!state.bundle) {
      appBox.replaceChildren(el("div", { class: "alert alert-info", text: t("noData") }));
      return;
    }
    var sections = state.bundle.days.map(function (day, index) {
      var tasks = state.bundle.tasks.filter(function (task) { return task.day === day; });
      var cards = tasks.map(function (task) {
        var queued = inOutbox(task);
        return el("article", { class: "card task-card mb-2", "data-task": task.id }, [
          el("div", { class: "card-body" }, [
            el("h3", { class: "h6 mb-1", text: taskHeading(task) }),
            el("div", { class: "meta mb-1 small text-body-secondary", text: [task.team.name, task.method_label, task.office.name].join(" · ") }),
            task.notes ? el("p", { class: "small prewrap mb-1", text: task.notes }) : null,
            queued
              ? el("span", { class: "badge " + (queued.state === "sent" ? "text-bg-success" : "text-bg-secondary"), text: queued.state === "sent" ? t("sent") : t("inOutbox") })
              : el("button", { type: "button", class: "btn btn-primary btn-tap w-100 mt-1", "data-testid": "record-offline", text: t("record"), onclick: function () { renderForm(task, null); } }),
          ]),
        ]);
      });
      return el("section", { class: "mb-3", "data-day": day }, [
        el("h2", { class: "h5 mb-2", text: (index === 0 ? t("today") : t("tomorrow")) + " " + day }),
      ].concat(cards.length ? cards : [el("p", { class: "text-body-secondary", text: t("noTasks") })]));
    });
    appBox.replaceChildren.apply(appBox, sections);
  }

  window.FieldApp = { t: t, el: el, byId: byId, localInput: localInput, uuid: uuid, state: state, config: config };

  // --- the visit form (field-form.js) ---------------------------------------------------

  function renderForm(task, entry) {
    window.FieldForm.render(task, entry, appBox, function (saved) {
      store.putEntry(saved).then(refreshOutbox).then(function () {
        renderTasks();
        window.scrollTo(0, 0);
        sendAll();
      });
    }, renderTasks);
  }

  function editEntry(entry) {
    var task = state.bundle && state.bundle.tasks.filter(function (row) { return row.id === entry.task; })[0];
    // A task no longer on the phone (cancelled, or another day) is edited from what was kept.
    renderForm(task || entry.snapshot, entry);
  }

  function discard(entry) {
    if (!window.confirm(t("discardConfirm"))) {
      return;
    }
    store.deleteEntry(entry.key).then(refreshOutbox).then(renderTasks);
  }

  // --- sending -----------------------------------------------------------------------------

  function refreshOutbox() {
    return store.listOutbox().then(function (entries) {
      var now = Date.now();
      var old = entries.filter(function (entry) {
        return entry.state === "sent" && now - new Date(entry.tried_at).getTime() > KEEP_SENT_MS;
      });
      old.forEach(function (entry) {
        store.deleteEntry(entry.key);
      });
      state.outbox = entries.filter(function (entry) { return old.indexOf(entry) === -1; });
      renderOutbox();
    });
  }

  function sendAll() {
    if (!navigator.onLine) {
      return Promise.resolve();
    }
    if (state.sending) {
      // Saved while a send runs: sent as soon as that one is done.
      state.again = true;
      return Promise.resolve();
    }
    state.sending = true;
    state.again = false;
    var waiting = state.outbox.filter(function (entry) {
      return entry.state === "waiting" || entry.state === "sending";
    });
    var chain = Promise.resolve();
    waiting.forEach(function (entry) {
      chain = chain.then(function () {
        entry.state = "sending";
        renderOutbox();
        return store.send(entry, config.record).then(function (sent) {
          state.login = Boolean(sent.login) && sent.state === "waiting";
          if (sent.state !== "waiting") {
            sent.login = false;
          }
        });
      });
    });
    function done() {
      state.sending = false;
      renderStatus();
      return refreshOutbox().then(function () {
        return state.again ? sendAll() : null;
      });
    }
    return chain.then(done, done);
  }

  function loadBundle() {
    return fetch(config.bundle, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          state.login = true;
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (bundle) {
        if (!bundle) {
          return;
        }
        state.login = false;
        state.bundle = bundle;
        return store.putBundle(bundle);
      })
      .catch(function () {});
  }

  function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(function () {});
    }
    var positionBox = el("input", { type: "checkbox", class: "form-check-input", id: "field-position", "data-testid": "allow-position" });
    positionBox.checked = window.localStorage.getItem(POSITION_KEY) === "1";
    positionBox.addEventListener("change", function () {
      window.localStorage.setItem(POSITION_KEY, positionBox.checked ? "1" : "0");
    });
    statusBox.insertAdjacentElement("afterend", el("div", { class: "form-check mb-2" }, [
      positionBox,
      el("label", { class: "form-check-label", for: "field-position", text: t("position") }),
    ]));
    store.getBundle().then(function (kept) {
      // Kept by somebody else who did not log out: never shown, never sent as this user.
      if (kept && kept.user.id !== config.userId) {
        return store.clearAll();
      }
      state.bundle = kept || null;
    }).then(refreshOutbox).then(function () {
      renderStatus();
      renderTasks();
      return loadBundle();
    }).then(function () {
      renderStatus();
      if (!state.editing) {
        renderTasks();
      }
      return sendAll();
    });
    window.addEventListener("online", function () {
      renderStatus();
      loadBundle().then(renderStatus);
      sendAll();
    });
    window.addEventListener("offline", renderStatus);
    // A connection can come back without an "online" event (a captive portal, a weak signal).
    window.setInterval(function () {
      if (state.outbox.some(function (entry) { return entry.state === "waiting"; })) {
        sendAll();
      }
    }, 30000);
  }

  window.FieldApp.positionAllowed = function () {
    return window.localStorage.getItem(POSITION_KEY) === "1";
  };
  document.addEventListener("DOMContentLoaded", start);
})();
