/* somguide - progressive enhancement only; every page works without it.
 * Shows or hides questions whose show_if condition depends on another answer. */
(function () {
	'use strict';
	function update(form) {
		form.querySelectorAll('[data-show-if]').forEach(function (q) {
			var ctl = q.getAttribute('data-show-if');
			var ctlBox = form.querySelector('[data-question="' + CSS.escape(ctl) + '"]');
			if (!ctlBox)
				return;
			var checked = Array.prototype.some.call(
				ctlBox.querySelectorAll('input[name="q.' + ctl + '"]:checked'),
				function (i) { return i.value !== ''; });
			/* the server decides what counts; here a question stays visible once
			 * its controlling question has any answer, and the sentence under the
			 * question says which answers make it relevant */
			q.hidden = !checked && !q.querySelector('.error');
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
