// The login page's behaviour: posts the token as JSON, then goes where the user was headed
// (same-server paths only), and a Show button for the token (typed on a headset's virtual
// keyboard, a typo is easy to miss). Without JavaScript the form still posts and the server redirects.
(function () {
  'use strict';
  var form = document.getElementById('login');
  var input = document.getElementById('token');
  var nextField = document.getElementById('next');
  var message = document.getElementById('message');
  var reveal = document.getElementById('reveal');
  var params = new URLSearchParams(window.location.search);

  function safeNext(n) {
    return typeof n === 'string' && /^\/(?![\/\\])[A-Za-z0-9\/_.\-?=&%]{0,500}$/.test(n) ? n : '/';
  }
  function show(text) {
    message.textContent = text;
    message.hidden = false;
  }

  var next = safeNext(params.get('next'));
  nextField.value = next;
  if (params.get('failed')) show('Wrong token.');

  reveal.hidden = false;
  reveal.addEventListener('click', function () {
    var shown = input.type === 'password';
    input.type = shown ? 'text' : 'password';
    reveal.textContent = shown ? 'Hide' : 'Show';
    reveal.setAttribute('aria-pressed', shown ? 'true' : 'false');
    reveal.setAttribute('aria-label', shown ? 'Hide the token' : 'Show the token');
    input.focus();
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    message.hidden = true;
    fetch('/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token: input.value, next: next }),
    })
      .then(function (res) {
        return res.json().then(
          function (body) { return { status: res.status, body: body }; },
          function () { return { status: res.status, body: {} }; }
        );
      })
      .then(function (r) {
        if (r.status === 200) {
          window.location.replace(safeNext(r.body && r.body.next));
          return;
        }
        show(r.status === 429 || r.status === 401 ? (r.body && r.body.error) || 'Login failed.' : 'Login failed (HTTP ' + r.status + ').');
        input.select();
      })
      .catch(function () {
        show('The server did not answer.');
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
