// Security keys (WebAuthn): register one, or log in with one. The server makes the options
// and checks the answers; this script only carries them between it and the browser. The
// forms stay hidden where the browser has no WebAuthn.
(function () {
  "use strict";

  var forms = document.querySelectorAll("form[data-webauthn]");
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  forms.forEach(function (form) {
    form.hidden = false;
  });

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(form, url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (!response.ok) {
            var error = new Error(data.detail || "");
            error.status = response.status;
            throw error;
          }
          return data;
        });
    });
  }

  function register(form) {
    return post(form, form.dataset.optionsUrl)
      .then(function (options) {
        options.challenge = toBytes(options.challenge);
        options.user.id = toBytes(options.user.id);
        (options.excludeCredentials || []).forEach(function (credential) {
          credential.id = toBytes(credential.id);
        });
        return navigator.credentials.create({ publicKey: options });
      })
      .then(function (credential) {
        var response = credential.response;
        return post(form, form.dataset.url, {
          name: form.querySelector("input[name=name]").value,
          credential: {
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            response: {
              clientDataJSON: toText(response.clientDataJSON),
              attestationObject: toText(response.attestationObject),
              transports: response.getTransports ? response.getTransports() : [],
            },
            clientExtensionResults: credential.getClientExtensionResults(),
          },
        });
      })
      .then(function () {
        window.location.reload();
      });
  }

  function logIn(form) {
    return post(form, form.dataset.optionsUrl)
      .then(function (options) {
        options.challenge = toBytes(options.challenge);
        (options.allowCredentials || []).forEach(function (credential) {
          credential.id = toBytes(credential.id);
        });
        return navigator.credentials.get({ publicKey: options });
      })
      .then(function (credential) {
        var response = credential.response;
        return post(form, form.dataset.url, {
          credential: {
            id: credential.id,
            rawId: toText(credential.rawId),
            type: credential.type,
            response: {
              clientDataJSON: toText(response.clientDataJSON),
              authenticatorData: toText(response.authenticatorData),
              signature: toText(response.signature),
              userHandle: response.userHandle ? toText(response.userHandle) : null,
            },
            clientExtensionResults: credential.getClientExtensionResults(),
          },
        });
      })
      .then(function (data) {
        window.location.assign(data.next);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.getAttribute("data-webauthn");
    if (!kind) {
      return;
    }
    event.preventDefault();
    var message = form.querySelector("[data-webauthn-message]");
    message.hidden = true;
    (kind === "register" ? register(form) : logIn(form)).catch(function (error) {
      if (error.status === 429) {
        // Locked out: the page itself now says so.
        window.location.reload();
        return;
      }
      // The server's words when it refused; ours when the browser or the key gave up.
      message.textContent = error.status ? error.message : form.dataset.failed;
      message.hidden = false;
    });
  });
})();
