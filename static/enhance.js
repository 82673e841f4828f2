// Small enhancements of every page. Each page is complete without them: the links can be selected
// and copied by hand, date inputs work as the browser shows them, the menu opens and closes as a
// plain <details> element.
(function () {
  // "Copy" beside each personal link (the round page without email, the client's report link).
  document.querySelectorAll('input.link-field').forEach(function (field) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn-secondary btn-small copy-button';
    button.textContent = 'Copy';
    var status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    var label = field.getAttribute('aria-label');
    if (label) button.setAttribute('aria-label', 'Copy ' + label.charAt(0).toLowerCase() + label.slice(1));
    button.addEventListener('click', function () {
      var done = function () { status.textContent = 'Copied'; setTimeout(function () { status.textContent = ''; }, 2500); };
      field.select();
      // The Clipboard API needs a secure context (https or localhost); elsewhere the selection is copied.
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand('copy')) done(); });
      else if (document.execCommand('copy')) done();
      else status.textContent = 'Selected: press Ctrl+C (⌘C) to copy';
    });
    var holder = document.createElement('span');
    holder.className = 'copy-field';
    field.parentNode.insertBefore(holder, field);
    holder.appendChild(field);
    holder.appendChild(button);
    holder.appendChild(status);
  });

  // A date input shows the day in the browser's own format (often mm/dd/yyyy); the day is also
  // written the way every page prints days, in the page's language, so "03/04" is never a
  // question. As formatDay in server/views.ts: these months in English, Intl's short date otherwise.
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var pageLanguage = document.documentElement.lang || 'en';
  var localDay = pageLanguage === 'en' ? null : new Intl.DateTimeFormat(pageLanguage, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  function formatDay(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return '';
    if (localDay) return localDay.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
    return Number(match[3]) + ' ' + MONTHS[Number(match[2]) - 1] + ' ' + match[1];
  }
  document.querySelectorAll('input[type=date]').forEach(function (input, index) {
    var echo = document.createElement('span');
    echo.className = 'date-echo';
    echo.id = (input.id || 'date-' + index) + '-day';
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + echo.id).trim());
    var update = function () { echo.textContent = formatDay(input.value); };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    update();
    input.insertAdjacentElement('afterend', echo);
  });

  // The phone menu closes with Escape or a click elsewhere, as menus do.
  var menu = document.querySelector('.topbar .menu');
  if (menu) {
    document.addEventListener('click', function (event) { if (menu.open && !menu.contains(event.target)) menu.open = false; });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && menu.open) { menu.open = false; menu.querySelector('summary').focus(); }
    });
  }
})();
