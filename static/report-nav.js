// The report's contents bar marks the section being read (aria-current) and keeps its link in view
// when the bar scrolls sideways on a phone. Without this script the bar is a plain list of links.
(function () {
  var nav = document.querySelector('.report-toc');
  if (!nav || !('IntersectionObserver' in window)) return;
  var list = nav.querySelector('ol');
  var links = Array.prototype.slice.call(nav.querySelectorAll('a[href^="#"]'));
  var sections = links.map(function (link) { return document.getElementById(link.getAttribute('href').slice(1)); });
  var visible = new Set();

  function mark() {
    // The first section (in page order) that crosses the reading line, else the last one above it.
    var current = sections.filter(function (section) { return section && visible.has(section); })[0];
    links.forEach(function (link, index) {
      if (sections[index] === current) {
        link.setAttribute('aria-current', 'true');
        var left = link.offsetLeft - list.offsetLeft;
        if (left < list.scrollLeft || left + link.offsetWidth > list.scrollLeft + list.clientWidth) list.scrollLeft = left - 16;
      } else {
        link.removeAttribute('aria-current');
      }
    });
  }

  // The reading line: a band a little below the sticky bar.
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { if (entry.isIntersecting) visible.add(entry.target); else visible.delete(entry.target); });
    mark();
  }, { rootMargin: '-15% 0px -60% 0px' });
  sections.forEach(function (section) { if (section) observer.observe(section); });
})();
