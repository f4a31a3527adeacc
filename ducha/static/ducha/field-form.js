// The field app's visit form (docs/field-app.md): the same questions as the online form,
// drawn from the data kept on the phone, saved into the outbox. Photos are shrunk, and carry
// the phone's time and, if the member allows it, its position.
(function () {
  "use strict";

  var GEO_TIMEOUT_MS = 10000;

  function app() {
    return window.FieldApp;
  }

  function position() {
    if (!app().positionAllowed() || !navigator.geolocation) {
      return Promise.resolve(null);
    }
    return new Promise(function (resolve) {
      navigator.geolocation.getCurrentPosition(
        function (found) {
          resolve(found.coords);
        },
        function () {
          resolve(null);
        },
        { enableHighAccuracy: true, timeout: GEO_TIMEOUT_MS, maximumAge: 120000 }
      );
    });
  }

  // The phone's time as the photo's, unless it cannot be a real one; the server keeps its
  // own receipt time beside it and flags a doubtful clock.
  function takenAt(file) {
    var date = new Date(file.lastModified || Date.now());
    var year = date.getUTCFullYear();
    return isNaN(date) || year < 2000 || year > 2099 ? null : date.toISOString();
  }

  function photo(file, part) {
    var shrink = window.Ducha && window.Ducha.shrink ? window.Ducha.shrink : Promise.resolve.bind(Promise);
    return Promise.all([shrink(file), position()]).then(function (done) {
      var small = done[0];
      var coords = done[1];
      return {
        part: part,
        name: small.name || file.name || "photo.jpg",
        type: small.type,
        blob: small,
        captured_at: takenAt(file),
        latitude: coords ? Math.round(coords.latitude * 1e6) / 1e6 : null,
        longitude: coords ? Math.round(coords.longitude * 1e6) / 1e6 : null,
        accuracy: coords ? Math.round(coords.accuracy) : null,
      };
    });
  }

  function snapshotOf(task) {
    var state = app().state;
    var items = app().byId(state.bundle.checklist);
    var sites = app().byId(state.bundle.sites);
    var areas = app().byId(state.bundle.focus_areas);
    return {
      task: task,
      items: task.items.map(function (id) { return items[id]; }).filter(Boolean),
      sites: task.sites.map(function (id) { return sites[id]; }).filter(Boolean),
      areas: task.focus_areas.map(function (id) { return areas[id]; }).filter(Boolean),
    };
  }

  function checkbox(name, value, label, checked) {
    var el = app().el;
    var box = el("input", { type: "checkbox", class: "form-check-input", name: name, value: String(value) });
    box.checked = Boolean(checked);
    return el("label", { class: "form-check-label radio-choice" }, [box, " ", el("span", { text: label })]);
  }

  function textarea(name, label, value, id) {
    var el = app().el;
    var area = el("textarea", { class: "form-control", name: name, id: id, rows: "2", maxlength: "4000" });
    area.value = value || "";
    return el("div", { class: "mt-2" }, [el("label", { class: "form-label mb-1", for: id, text: label }), area]);
  }

  function render(task, entry, box, onSave, onCancel) {
    var t = app().t;
    var el = app().el;
    var state = app().state;
    var snapshot = entry ? entry.snapshot : snapshotOf(task);
    task = snapshot.task;
    var before = entry ? entry.form : null;
    var answers = {};
    (before ? before.answers : []).forEach(function (answer) {
      answers[answer.item] = answer;
    });
    var photos = {};
    (entry ? entry.photos : []).forEach(function (kept) {
      (photos[kept.part] = photos[kept.part] || []).push(kept);
    });
    var pending = [];
    state.editing = true;

    function photoInput(part, label) {
      var id = "field-" + part;
      var count = el("span", { class: "small text-body-secondary ms-2", "data-testid": "photo-count" });
      function show() {
        count.textContent = photos[part] && photos[part].length ? t("photosReady", { count: photos[part].length }) : "";
      }
      var input = el("input", { type: "file", class: "form-control", name: part, id: id, accept: "image/jpeg,image/png,image/webp", capture: "environment", multiple: true });
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files || []);
        var job = Promise.all(files.map(function (file) { return photo(file, part); })).then(function (done) {
          photos[part] = done;
          show();
        });
        pending.push(job);
      });
      show();
      return el("div", { class: "mt-2" }, [el("label", { class: "form-label mb-1", for: id, text: label }), input, count]);
    }

    function question(item) {
      var before = answers[item.id] || {};
      var name = "item_" + item.id;
      var choices = ["pass", "fail", "na"].map(function (value) {
        var radio = el("input", { type: "radio", class: "form-check-input", name: name + "_result", value: value });
        radio.checked = before.result === value;
        return el("label", { class: "answer-choice answer-" + value }, [radio, " ", el("span", { text: t("result_" + value) })]);
      });
      var title = el("input", { type: "text", class: "form-control", name: name + "_title", id: "field-" + name + "-title", maxlength: "200" });
      title.value = before.title !== undefined ? before.title : item.problem_title;
      var urgent = checkbox(name + "_urgent", "1", t("urgent"), before.urgent);
      var fixed = checkbox(name + "_fixed", "1", t("fixed"), before.fixed);
      return el("fieldset", { class: "list-group-item question", "data-item": item.id }, [
        el("legend", { class: "fs-6 fw-semibold mb-2", text: item.text }),
        el("div", { class: "answer-choices", role: "radiogroup" }, choices),
        textarea(name + "_note", t("note"), before.note, "field-" + name + "-note"),
        el("div", { class: "if-failed mt-2" }, [
          el("div", { class: "mb-2", "data-testid": "problem-title" }, [
            el("label", { class: "form-label mb-1", for: "field-" + name + "-title", text: t("problemTitle") }),
            title,
          ]),
          urgent,
          fixed,
          textarea(name + "_evidence", t("howFixed"), before.evidence_text, "field-" + name + "-evidence"),
          photoInput(name + "_photos", t("problemPhotos")),
        ]),
      ]);
    }

    var visited = el("input", { type: "datetime-local", class: "form-control", name: "visited_at", id: "field-visited-at", required: true });
    visited.value = app().localInput(before ? new Date(before.visited_at) : new Date());
    var sitePart;
    if (task.named_sites) {
      sitePart = el("p", { class: "small mb-0", text: t("sites") + ": " + snapshot.sites.map(function (s) { return s.name; }).join("、") });
    } else {
      var chosen = before ? before.sites : [];
      sitePart = el("fieldset", {}, [el("legend", { class: "form-label fs-6 mb-1", text: t("sites") })].concat(
        snapshot.sites.map(function (site) {
          return checkbox("sites", site.id, site.name + " (" + site.region + ")", chosen.indexOf(site.id) !== -1);
        })
      ));
    }
    var present = before ? before.members : [app().config.userId];
    var members = el("fieldset", { class: "mt-2" }, [el("legend", { class: "form-label fs-6 mb-1", text: t("members") })].concat(
      task.members.map(function (member) {
        return checkbox("members", member.id, member.name, present.indexOf(member.id) !== -1);
      })
    ));
    var groups = snapshot.areas.map(function (area) {
      var items = snapshot.items.filter(function (item) { return item.focus_area === area.id; });
      if (!items.length) {
        return null;
      }
      return el("section", { class: "card mb-3", "data-focus-area": area.id }, [
        el("div", { class: "card-header" }, [el("h3", { class: "h6 mb-0", text: area.name })]),
        el("div", { class: "list-group list-group-flush" }, items.map(question)),
      ]);
    }).filter(Boolean);
    if (!groups.length) {
      groups = [el("div", { class: "alert alert-warning", text: t("noChecklist") })];
    }
    var errors = el("div", { class: "alert alert-danger d-none", role: "alert", "data-testid": "form-error" });
    var notes = textarea("notes", t("notes"), before ? before.notes : "", "field-notes");
    var form = el("form", { "data-testid": "field-form", "data-task": task.id, novalidate: true }, [
      el("h2", { class: "h4 mb-1", text: entry ? entry.title : (task.named_sites ? snapshot.sites.map(function (s) { return s.name; }).join("、") : task.team.name) }),
      el("p", { class: "text-body-secondary small mb-3", text: [task.team.name, task.day, task.method_label].join(" · ") }),
      errors,
      el("section", { class: "card card-body mb-3" }, [
        el("label", { class: "form-label mb-1", for: "field-visited-at", text: t("visitedAt") }),
        visited,
        el("div", { class: "mt-2" }, [sitePart]),
        members,
      ]),
    ].concat(groups, [
      el("section", { class: "card card-body mb-3" }, [photoInput("photos", t("photos")), notes]),
      el("button", { type: "submit", class: "btn btn-primary btn-tap w-100 mb-2", "data-testid": "save-visit", text: t("save") }),
      el("button", { type: "button", class: "btn btn-outline-secondary btn-tap w-100 mb-4", text: t("cancel"), onclick: onCancel }),
    ]));

    function values(name) {
      return Array.prototype.map.call(form.querySelectorAll("input[name='" + name + "']:checked"), function (box) {
        return Number(box.value);
      });
    }

    function refuse(message, node) {
      errors.textContent = message;
      errors.classList.remove("d-none");
      if (node) {
        node.classList.add("has-error");
      }
      (node || errors).scrollIntoView({ block: "center" });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
      errors.classList.add("d-none");
      var when = new Date(visited.value);
      if (!visited.value || isNaN(when)) {
        return refuse(t("visitedAt"), visited.parentNode);
      }
      var sites = task.named_sites ? [] : values("sites");
      if (!task.named_sites && !sites.length) {
        return refuse(t("chooseSites"), sitePart);
      }
      var collected = [];
      for (var i = 0; i < snapshot.items.length; i += 1) {
        var item = snapshot.items[i];
        var name = "item_" + item.id;
        var node = form.querySelector("[data-item='" + item.id + "']");
        var checked = node.querySelector("input[name='" + name + "_result']:checked");
        if (!checked) {
          return refuse(t("answerAll"), node);
        }
        var answer = {
          item: item.id,
          result: checked.value,
          note: node.querySelector("[name='" + name + "_note']").value.trim(),
          title: node.querySelector("[name='" + name + "_title']").value.trim(),
          urgent: node.querySelector("[name='" + name + "_urgent']").checked,
          fixed: node.querySelector("[name='" + name + "_fixed']").checked,
          evidence_text: node.querySelector("[name='" + name + "_evidence']").value.trim(),
        };
        if (answer.result === "fail" && !answer.note) {
          return refuse(t("sayWhatIsWrong"), node);
        }
        if (answer.result === "fail" && answer.fixed && !answer.evidence_text) {
          return refuse(t("describeFix"), node);
        }
        collected.push(answer);
      }
      var failed = collected.filter(function (a) { return a.result === "fail"; }).map(function (a) { return "item_" + a.item + "_photos"; });
      var button = form.querySelector("[data-testid=save-visit]");
      button.disabled = true;
      Promise.all(pending).then(function () {
        var kept = [];
        Object.keys(photos).forEach(function (part) {
          // Photos of a question go with a failed answer only, as the server requires.
          if (part === "photos" || failed.indexOf(part) !== -1) {
            kept = kept.concat(photos[part]);
          }
        });
        var saved = entry || {
          key: window.FieldApp.uuid(),
          task: task.id,
          created_at: new Date().toISOString(),
          title: form.querySelector("h2").textContent,
          snapshot: snapshot,
        };
        saved.state = "waiting";
        saved.reason = "";
        saved.field = "";
        saved.form = {
          visited_at: when.toISOString(),
          sites: sites,
          members: values("members"),
          notes: notes.querySelector("textarea").value.trim(),
          answers: collected,
        };
        saved.photos = kept;
        onSave(saved);
      });
    });
    box.replaceChildren(form);
    window.scrollTo(0, 0);
  }

  window.FieldForm = { render: render };
})();
