// The report's contents bar marks the section being read (aria-current) and keeps its link in view
// when the bar scrolls sideways on a phone. Without this script the bar is a plain list of links.
(function () {
  var nav = document.querySelector('.report-toc');
  if (!nav) return;
  var list = nav.querySelector('ol');
  var links = Array.prototype.slice.call(nav.querySelectorAll('a[href^="#"]'));
  var sections = links.map(function (link) { return document.getElementById(link.getAttribute('href').slice(1)); });
  var current = null;

  // The section being read is the last one that starts above a line a third of the way down.
  function mark() {
    var line = window.innerHeight / 3;
    var reading = sections.filter(function (section) { return section && section.getBoundingClientRect().top <= line; }).pop() || null;
    if (reading === current) return;
    current = reading;
    links.forEach(function (link, index) {
      if (sections[index] !== current) { link.removeAttribute('aria-current'); return; }
      link.setAttribute('aria-current', 'true');
      var left = link.offsetLeft - list.offsetLeft;
      if (left < list.scrollLeft || left + link.offsetWidth > list.scrollLeft + list.clientWidth) list.scrollLeft = left - 16;
    });
  }

  var pending = false;
  window.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; mark(); });
  }, { passive: true });
  window.addEventListener('resize', mark);
  mark();
})();
