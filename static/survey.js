// Survey enhancements: live progress and autosave of a draft. The page works fully without this.
(function () {
  var form = document.getElementById('survey');
  if (!form || !window.fetch || !window.FormData) return;
  var counter = form.querySelector('[data-answered]');
  var progress = document.getElementById('progress');
  var state = document.createElement('span');
  progress.appendChild(state);
  var timer = null;
  var saving = false;
  var again = false;

  function answered() {
    var names = {};
    form.querySelectorAll('input[type=radio]:checked').forEach(function (input) { names[input.name] = true; });
    return Object.keys(names).length;
  }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    state.textContent = ' · saving…';
    fetch(form.getAttribute('data-draft'), { method: 'POST', body: new FormData(form), credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { state.textContent = response.ok ? ' · saved' : ' · not saved; use “Save and continue later”'; })
      .catch(function () { state.textContent = ' · offline; your answers stay on this page'; })
      .then(function () {
        saving = false;
        if (again) { again = false; save(); }
      });
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener('change', function () {
    counter.textContent = answered();
    schedule(800);
  });
  form.addEventListener('input', function (event) {
    if (event.target.tagName === 'TEXTAREA') schedule(2500);
  });
})();
