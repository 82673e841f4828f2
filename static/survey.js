// Survey enhancements: autosave of a draft, and one competency per step with Back and Next (which
// save), the open questions as the last step and a review before submitting. Without this script
// the page is one form with every question and one Submit button, and works fully.
(function () {
  'use strict';
  var form = document.getElementById('survey');
  if (!form || !window.fetch || !window.FormData) return;

  var counter = form.querySelector('[data-answered]');
  var saveState = document.createElement('span');
  document.getElementById('progress').appendChild(saveState);
  var ratingNames = uniqueRatingNames(form);
  var questions = form.querySelectorAll('textarea');
  var secondsPerRating = Number(form.getAttribute('data-seconds-per-rating')) || 15;
  var secondsPerQuestion = Number(form.getAttribute('data-seconds-per-question')) || 45;
  var notAbleToRate = (form.querySelector('.na') || { textContent: '' }).textContent.trim();
  // The page's words in its language (data-words, from the server's catalogue): this script holds none.
  var words = JSON.parse(form.getAttribute('data-words') || '{}');

  /** words[key] with each {name} replaced by values[name]. */
  function say(key, values) {
    return String(words[key] || '').replace(/\{(\w+)\}/g, function (_match, name) { return values && name in values ? values[name] : ''; });
  }

  function uniqueRatingNames(root) {
    var names = [];
    root.querySelectorAll('input[type=radio]').forEach(function (input) {
      if (names.indexOf(input.name) < 0) names.push(input.name);
    });
    return names;
  }

  function isAnswered(name) {
    return Boolean(form.querySelector('input[name="' + name + '"]:checked'));
  }

  function answeredIn(names) {
    return names.filter(isAnswered).length;
  }

  function writtenIn(textareas) {
    return Array.prototype.filter.call(textareas, function (textarea) { return textarea.value.trim() !== ''; }).length;
  }

  // Saving: one request at a time, the latest answers always last. `keepalive` lets a save started
  // by Next finish even if the rater closes the page straight away.
  var timer = null;
  var saving = null;
  var again = false;

  function save() {
    clearTimeout(timer);
    if (saving) {
      again = true;
      return saving;
    }
    saveState.textContent = ' · ' + say('saving');
    saving = fetch(form.getAttribute('data-draft'), { method: 'POST', body: new FormData(form), credentials: 'same-origin', keepalive: true, headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        saveState.textContent = ' · ' + say('saved');
      })
      .catch(function () {
        saveState.textContent = ' · ' + say('notSaved');
      })
      .then(function () {
        saving = null;
        if (again) {
          again = false;
          return save();
        }
      });
    return saving;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  var stepper = createStepper();

  form.addEventListener('change', function () {
    counter.textContent = answeredIn(ratingNames);
    if (stepper) stepper.refresh();
    schedule(800);
  });
  form.addEventListener('input', function (event) {
    if (event.target.tagName !== 'TEXTAREA') return;
    if (stepper) stepper.refresh();
    schedule(2500);
  });

  /**
   * Turns the sections marked data-step into steps, on forms the server marked data-stepped (not a
   * pulse check-in, which is a few statements on one page) with at least two competencies.
   */
  function createStepper() {
    var sections = Array.prototype.slice.call(form.querySelectorAll('[data-step]'));
    var competencies = sections.filter(function (section) { return section.getAttribute('data-step') !== 'open'; });
    if (!form.hasAttribute('data-stepped') || competencies.length < 2) return null;
    var bar = form.querySelector('.bar');
    var submitButton = bar.querySelector('button[value=submit]');
    var saveButton = bar.querySelector('button[value=save]');

    var steps = sections.map(function (section) {
      var heading = section.querySelector('h2');
      heading.setAttribute('tabindex', '-1');
      var competencyIndex = competencies.indexOf(section);
      return {
        section: section,
        heading: heading,
        names: uniqueRatingNames(section),
        label: competencyIndex >= 0 ? say('competency', { number: competencyIndex + 1, total: competencies.length }) : say('optional'),
      };
    });
    var review = createReview();
    steps.push({ section: review.section, heading: review.heading, names: [], label: say('lastStep') });

    var header = element('div', 'stepper');
    var count = element('p', 'stepper-count');
    count.id = 'step-count';
    count.setAttribute('aria-live', 'polite');
    var meter = element('progress');
    meter.max = ratingNames.length;
    meter.setAttribute('aria-labelledby', 'step-count step-left');
    var left = element('p', 'stepper-left muted');
    left.id = 'step-left';
    header.appendChild(count);
    header.appendChild(left);
    header.appendChild(meter);
    form.insertBefore(header, form.querySelector('.lead'));

    var back = button(say('back'), 'secondary');
    var next = button(say('next'), '');
    bar.insertBefore(back, saveButton);
    bar.insertBefore(next, saveButton);
    saveButton.hidden = true;
    document.body.classList.add('stepped');

    var current = 0;

    function element(tag, className) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      return node;
    }

    function button(text, className) {
      var node = element('button', className);
      node.type = 'button';
      node.textContent = text;
      return node;
    }

    function createReview() {
      var section = element('section', 'card review');
      section.setAttribute('data-step', 'review');
      section.setAttribute('aria-labelledby', 'h-review');
      var heading = element('h2');
      heading.id = 'h-review';
      heading.setAttribute('tabindex', '-1');
      heading.textContent = say('reviewHeading');
      section.appendChild(heading);
      section.appendChild(element('p', 'review-summary'));
      section.appendChild(element('ul', 'review-list'));
      var final = element('p', 'muted');
      final.textContent = say('reviewFinal');
      section.appendChild(final);
      form.insertBefore(section, form.querySelector('.bar'));
      return { section: section, heading: heading };
    }

    // Open questions are optional: once the rater has moved past them, they are no longer time to come.
    function timeLeft() {
      var questionsAhead = current < steps.length - 1 ? questions.length - writtenIn(questions) : 0;
      var seconds = (ratingNames.length - answeredIn(ratingNames)) * secondsPerRating + questionsAhead * secondsPerQuestion;
      if (seconds === 0) return say('allAnswered');
      if (seconds < 60) return say('underAMinute');
      // Rounded as the invitation's estimate is: whole minutes under ten, fives above.
      var minutes = seconds < 600 ? Math.ceil(seconds / 60) : Math.round(seconds / 300) * 5;
      return say(minutes === 1 ? 'minuteLeft' : 'minutesLeft', { minutes: minutes });
    }

    function fillReview() {
      var answered = answeredIn(ratingNames);
      var total = ratingNames.length;
      review.section.querySelector('.review-summary').textContent =
        answered === total
          ? say('allStatements', { total: total })
          : say('someStatements', { answered: answered, total: total, na: notAbleToRate });
      var list = review.section.querySelector('.review-list');
      list.textContent = '';
      steps.slice(0, -1).forEach(function (step, index) {
        var item = element('li', '');
        var link = button(step.heading.textContent, 'link');
        link.addEventListener('click', function () { go(index, true); });
        var status = element('span', 'review-status');
        if (step.names.length) {
          var done = answeredIn(step.names);
          var complete = done === step.names.length;
          status.textContent = say('stepAnswered', { done: done, total: step.names.length }) + (complete ? '' : ' · ' + say('stepToGo', { left: step.names.length - done }));
          item.className = complete ? 'complete' : 'todo';
        } else {
          var textareas = step.section.querySelectorAll('textarea');
          status.textContent = say('stepWritten', { written: writtenIn(textareas), total: textareas.length });
        }
        item.appendChild(link);
        item.appendChild(status);
        list.appendChild(item);
      });
    }

    function refresh() {
      meter.value = answeredIn(ratingNames);
      left.textContent = timeLeft();
    }

    /** Shows step `index`; `moveFocus` is for the rater's own navigation, not for the first display. */
    function go(index, moveFocus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, position) { step.section.hidden = position !== current; });
      var last = current === steps.length - 1;
      if (last) fillReview();
      document.body.classList.toggle('later-step', current > 0);
      count.textContent = steps[current].label;
      back.hidden = current === 0;
      next.hidden = last;
      next.textContent = current === steps.length - 2 ? say('review') : say('next');
      submitButton.hidden = !last;
      refresh();
      if (moveFocus) {
        header.scrollIntoView({ block: 'start' });
        steps[current].heading.focus({ preventScroll: true });
      }
    }

    function stepOf(node) {
      for (var index = 0; index < steps.length; index += 1) if (steps[index].section.contains(node)) return index;
      return -1;
    }

    /** Where to start: the first answer to fix, else the first step with something left, else the open questions. */
    function firstStep() {
      var invalid = form.querySelector('.invalid, [aria-invalid=true]');
      if (invalid) return stepOf(invalid);
      if (!answeredIn(ratingNames)) return 0;
      for (var index = 0; index < steps.length - 1; index += 1) {
        if (answeredIn(steps[index].names) < steps[index].names.length) return index;
      }
      var reviewIndex = steps.length - 1;
      return steps[reviewIndex - 1].names.length ? reviewIndex : reviewIndex - 1;
    }

    back.addEventListener('click', function () {
      save();
      go(current - 1, true);
    });
    next.addEventListener('click', function () {
      save();
      go(current + 1, true);
    });
    // Enter in a field submits a form implicitly, with its first button ("Save and continue
    // later"); here it moves to the next step instead, and only Submit sends the answers.
    form.addEventListener('submit', function (event) {
      // Submit sends the answers; a language button saves them and shows the page in that language.
      if (!('submitter' in event) || event.submitter === submitButton || (event.submitter && event.submitter.name === 'switchLanguage')) return;
      event.preventDefault();
      if (current < steps.length - 1) next.click();
    });
    // The error summary's links point into steps that may be hidden.
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      var target = link && document.getElementById(link.getAttribute('href').slice(1));
      var index = target ? stepOf(target) : -1;
      if (index < 0) return;
      event.preventDefault();
      go(index, false);
      focusField(target);
    });

    function focusField(target) {
      var field = target.matches('input, textarea') ? target : target.querySelector('input, textarea');
      field.focus();
    }

    var start = firstStep();
    go(start, false);
    var firstError = form.querySelector('[autofocus]');
    if (firstError && stepOf(firstError) === start) focusField(firstError);

    return { refresh: refresh };
  }
})();
