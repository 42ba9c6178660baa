/* somguide - progressive enhancement only; every page works without it.
 * Hides the questions whose show_if condition is not met by the answers on the page,
 * following the server's rule (SCORING.md): a question is shown when its controlling
 * question, itself shown, has one of the listed options selected. */
(function () {
	'use strict';
	function selected(form, qid) {
		var out = [];
		form.querySelectorAll('input[name="q.' + CSS.escape(qid) + '"]:checked').forEach(function (i) {
			if (i.value !== '')
				out.push(i.value);
		});
		return out;
	}
	function update(form) {
		/* in guide order, so a chain (a -> b -> c) settles in one pass */
		form.querySelectorAll('[data-show-if]').forEach(function (q) {
			var ctl = q.getAttribute('data-show-if');
			var wanted = (q.getAttribute('data-show-if-in') || '').split(' ');
			var box = form.querySelector('[data-question="' + CSS.escape(ctl) + '"]');
			if (!box)
				return; /* controlled from another area: leave it to the server */
			var shown = !box.hidden && selected(form, ctl).some(function (v) { return wanted.indexOf(v) >= 0; });
			/* never hide a question that carries an error or an answer the user gave */
			var answered = q.querySelector('input:checked:not([value=""])') ||
				Array.prototype.some.call(q.querySelectorAll('input[type=text], input[type=date], textarea'),
					function (i) { return i.value !== ''; });
			q.hidden = !shown && !q.querySelector('.error') && !answered;
		});
	}
	document.addEventListener('DOMContentLoaded', function () {
		document.querySelectorAll('form.area-form').forEach(function (form) {
			update(form);
			form.addEventListener('change', function () { update(form); });
		});
		var summary = document.getElementById('error-summary');
		if (summary)
			summary.focus();
	});
})();
