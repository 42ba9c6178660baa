/* somguide - progressive enhancement only; every page works without it.
 *
 * 1. show_if: hides the questions whose show_if condition is not met by the answers
 *    on the page, following the server's rule (SCORING.md): a question is shown when
 *    its controlling question, itself shown, has one of the listed options selected.
 * 2. Autosave (area forms marked data-autosave, i.e. editable ones): changed answers
 *    are sent to PUT /api/v1/assessments/{id}/answers with the session cookie and the
 *    X-CSRF-Token header, 1.5 s after the last change and when the page is left.
 *    Until the server confirms a change it is kept in localStorage
 *    ("somguide.pending.{assessment}.{question}"), so a dropped connection or a
 *    closed tab loses nothing: the next load of an area page of the assessment puts
 *    the change back into the form and sends it again. Each question is sent whole
 *    (value and comment), exactly as the form's Save button would store it. */
(function () {
	'use strict';

	/* ---- show_if ---------------------------------------------------------- */

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

	/* ---- autosave --------------------------------------------------------- */

	var PREFIX = 'somguide.pending.';
	var DEBOUNCE_MS = 1500;
	var RETRY_MIN_MS = 2000, RETRY_MAX_MS = 30000;

	function openStorage() {
		try {
			var s = window.localStorage, k = PREFIX + 'probe';
			s.setItem(k, '1');
			s.removeItem(k);
			return s;
		} catch (e) {
			return null; /* disabled or full: autosave still works, without the safety net */
		}
	}

	/* The answer fields of one question, by kind, from the area form only: review
	 * comments and file inputs sit in the same markup but belong to other forms. */
	function fieldsOf(form) {
		var qs = {};
		Array.prototype.forEach.call(form.elements, function (el) {
			if (el.form !== form || !el.name || el.disabled)
				return;
			var m = /^([qc])\.(.+)$/.exec(el.name);
			if (!m)
				return;
			var q = qs[m[2]] || (qs[m[2]] = {inputs: [], comment: null, kind: null});
			if (m[1] === 'c') {
				q.comment = el;
				return;
			}
			q.inputs.push(el);
			if (el.type === 'radio')
				q.kind = 'choice';
			else if (el.type === 'checkbox')
				q.kind = 'multi';
			else if (el.type === 'date')
				q.kind = 'date';
			else if (el.tagName === 'TEXTAREA')
				q.kind = 'text';
			else
				q.kind = el.getAttribute('inputmode') === 'decimal' ? 'number' : 'text';
		});
		return qs;
	}

	/* What the user has entered: {raw, c} where raw is the checked option id (choice),
	 * the list of checked ids (multi) or the text as typed. */
	function snapshot(q) {
		var raw;
		if (q.kind === 'choice') {
			raw = '';
			q.inputs.forEach(function (i) { if (i.checked) raw = i.value; });
		} else if (q.kind === 'multi') {
			raw = [];
			q.inputs.forEach(function (i) { if (i.checked && i.value !== '') raw.push(i.value); });
		} else {
			raw = q.inputs.length ? q.inputs[0].value : '';
		}
		return {raw: raw, c: q.comment ? q.comment.value : ''};
	}

	function restore(q, snap) {
		if (q.kind === 'choice' || q.kind === 'multi') {
			var want = q.kind === 'choice' ? [snap.raw] : snap.raw;
			q.inputs.forEach(function (i) { i.checked = want.indexOf(i.value) >= 0; });
		} else if (q.inputs.length) {
			q.inputs[0].value = snap.raw;
		}
		if (q.comment)
			q.comment.value = snap.c;
	}

	var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t]*$/;

	/* The answer the form would store for a snapshot (form.c): {v, c}, or {bad: what}
	 * when the form would refuse it ('number', 'reserved'; 'corrupt' for a stored
	 * entry that is not a snapshot). */
	function toAnswer(kind, snap) {
		var raw = snap.raw, v = null;
		if (typeof snap.c !== 'string' || (kind === 'multi') !== Array.isArray(raw) ||
		    (kind !== 'multi' && typeof raw !== 'string'))
			return {bad: 'corrupt'};
		if (kind === 'choice') {
			v = raw === '' ? null : raw;
		} else if (kind === 'multi') {
			var reserved = raw.filter(function (x) { return x === 'na' || x === 'dk'; });
			if (reserved.length && raw.length > reserved.length)
				return {bad: 'reserved'};
			v = reserved.length ? reserved[0] : raw.length ? raw.slice() : null;
		} else {
			var s = raw.replace(/^[ \t]+/, '');
			if (s !== '' && kind === 'number') {
				if (!NUMBER.test(s) || !isFinite(Number(s)))
					return {bad: 'number'};
				v = Number(s);
			} else if (s !== '') {
				v = s;
			}
		}
		return {v: v, c: snap.c};
	}

	function keyOf(ans) {
		return ans.bad ? null : JSON.stringify([ans.v, ans.c]);
	}

	function Autosave(form, status, store) {
		var self = this;
		this.form = form;
		this.status = status;
		this.store = store;
		this.aid = form.getAttribute('data-assessment');
		this.url = '/api/v1/assessments/' + encodeURIComponent(this.aid) + '/answers';
		this.csrf = form.elements.csrf_token ? form.elements.csrf_token.value : '';
		this.msg = {};
		['intro', 'saving', 'saved', 'offline', 'invalid', 'signed_out', 'expired', 'locked', 'failed',
			'superseded', 'number', 'reserved'].forEach(function (k) {
			self.msg[k] = status.getAttribute('data-' + k.replace('_', '-')) || '';
		});
		this.qs = fieldsOf(form);
		this.server = {};   /* qid -> key of what the server holds, as far as we know */
		this.pending = {};  /* qid -> {kind, raw, c, base, t}: changes not yet confirmed */
		this.rejected = {}; /* qid -> key the server refused (422); not sent again */
		this.timer = null;
		this.retryMs = 0;
		this.inflight = false;
		this.again = false;
		this.leaving = false;
		this.note = '';
		/* a page shown again after a refused Save holds what was posted, not what is
		 * stored: then nothing is known of the server's answers */
		this.errorPage = !!document.getElementById('error-summary');
		if (!this.errorPage)
			Object.keys(this.qs).forEach(function (qid) {
				var q = self.qs[qid];
				self.server[qid] = keyOf(toAnswer(q.kind, snapshot(q)));
			});
	}

	Autosave.prototype.storageKey = function (qid) {
		return PREFIX + this.aid + '.' + qid;
	};

	/* Puts text in the status line, with a link to question qid when given. */
	Autosave.prototype.say = function (text, busy, qid) {
		this.status.textContent = text;
		this.status.setAttribute('aria-busy', busy ? 'true' : 'false');
		var box = qid && document.getElementById('question-' + qid);
		var num = box && box.querySelector('.qnum');
		if (num) {
			var a = document.createElement('a');
			a.href = '#question-' + qid;
			a.textContent = num.textContent;
			this.status.appendChild(document.createTextNode(' '));
			this.status.appendChild(a);
		}
	};

	Autosave.prototype.remember = function (qid, entry) {
		this.pending[qid] = entry;
		if (this.store) {
			try {
				this.store.setItem(this.storageKey(qid), JSON.stringify(entry));
			} catch (e) { /* full: keep it in memory */ }
		}
	};

	Autosave.prototype.forget = function (qid) {
		delete this.pending[qid];
		if (this.store)
			this.store.removeItem(this.storageKey(qid));
	};

	/* Records the state of question qid after the user changed it. */
	Autosave.prototype.changed = function (qid) {
		var q = this.qs[qid];
		if (!q)
			return;
		var snap = snapshot(q);
		var ans = toAnswer(q.kind, snap);
		var key = keyOf(ans);
		if (ans.bad)
			this.showError(qid, this.msg[ans.bad] || this.msg.failed);
		else if (this.rejected[qid] !== key)
			this.showError(qid, null);
		if (key !== null && key === this.server[qid]) {
			this.forget(qid);
			return;
		}
		var old = this.pending[qid];
		this.remember(qid, {kind: q.kind, raw: snap.raw, c: snap.c,
			base: old ? old.base : this.server[qid], t: Date.now()});
		if (!ans.bad)
			this.say(this.msg.saving, true); /* no longer "All changes saved" */
	};

	Autosave.prototype.schedule = function (ms) {
		var self = this;
		clearTimeout(this.timer);
		this.timer = setTimeout(function () { self.timer = null; self.flush(false); }, ms);
	};

	/* The answers to send: pending, valid, not already refused as they are. */
	Autosave.prototype.batch = function () {
		var out = {}, n = 0, self = this;
		Object.keys(this.pending).forEach(function (qid) {
			var p = self.pending[qid];
			var ans = toAnswer(p.kind, p);
			var key = keyOf(ans);
			if (key === null || self.rejected[qid] === key)
				return;
			out[qid] = {ans: ans, key: key};
			n++;
		});
		return n ? out : null;
	};

	Autosave.prototype.request = function (batch, keepalive) {
		var answers = {};
		Object.keys(batch).forEach(function (qid) {
			answers[qid] = {value: batch[qid].ans.v, comment: batch[qid].ans.c};
		});
		var body = JSON.stringify({answers: answers});
		return fetch(this.url, {
			method: 'PUT',
			credentials: 'same-origin',
			keepalive: !!keepalive && body.length < 60000, /* the browser's keepalive quota is 64 KiB */
			headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
				'X-CSRF-Token': this.csrf},
			body: body
		});
	};

	/* Sends what is pending, one request at a time. keepalive: the page may be going
	 * away; the request outlives it, and what it carries stays stored until a later
	 * page sees it saved. */
	Autosave.prototype.flush = function (keepalive) {
		var self = this;
		clearTimeout(this.timer);
		this.timer = null;
		var batch = this.batch();
		if (this.inflight) {
			this.again = true;
			return;
		}
		if (!batch) {
			this.settle();
			return;
		}
		this.inflight = true;
		this.say(this.msg.saving, true);
		this.request(batch, keepalive).then(function (resp) {
			return resp.json().catch(function () { return null; }).then(function (body) {
				self.answered(batch, resp.status, body);
			});
		}, function () {
			self.answered(batch, 0, null);
		});
	};

	Autosave.prototype.answered = function (batch, code, body) {
		var self = this;
		this.inflight = false;
		if (code === 200) {
			this.retryMs = 0;
			Object.keys(batch).forEach(function (qid) {
				self.server[qid] = batch[qid].key;
				delete self.rejected[qid];
				var p = self.pending[qid];
				if (p && keyOf(toAnswer(p.kind, p)) === batch[qid].key)
					self.forget(qid);
				else if (p && toAnswer(p.kind, p).bad)
					return; /* changed meanwhile into something the form refuses: keep its message */
				self.showError(qid, null);
			});
			this.again = false;
			this.flush(false);
			return;
		}
		if (code === 422 && body && body.error && Array.isArray(body.error.details)) {
			var refused = 0;
			body.error.details.forEach(function (d) {
				if (!d || !batch[d.question])
					return;
				if (self.rejected[d.question] !== batch[d.question].key)
					refused++;
				self.rejected[d.question] = batch[d.question].key;
				self.showError(d.question, d.message);
			});
			this.again = false;
			if (refused) {
				/* nothing was stored: send the others again without the refused ones */
				this.flush(false);
				return;
			}
		}
		if (code === 0 || code >= 500) {
			this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs ? this.retryMs * 2 : RETRY_MIN_MS);
			this.say(this.msg.offline, false);
			this.schedule(this.retryMs);
			return;
		}
		this.again = false;
		if (code === 401)
			this.say(this.msg.signed_out, false);
		else if (code === 403)
			this.say(this.msg.expired, false);
		else if (code === 409)
			this.say(this.msg.locked, false);
		else
			this.say(this.msg.failed, false);
	};

	/* Nothing left to send: says whether everything is saved. */
	Autosave.prototype.settle = function () {
		var self = this;
		if (this.again) {
			this.again = false;
			this.flush(false);
			return;
		}
		/* the first question of the page whose change is refused; changes to other
		 * areas' questions are shown, and their problems, there */
		var refused = null;
		Object.keys(this.qs).some(function (qid) {
			var p = self.pending[qid];
			if (p && (self.rejected[qid] !== undefined || keyOf(toAnswer(p.kind, p)) === null))
				refused = qid;
			return refused !== null;
		});
		if (refused !== null)
			this.say(this.msg.invalid, false, refused);
		else
			this.say(this.note || this.msg.saved, false);
		this.note = '';
	};

	/* Shows msg (or removes the message when null) beside question qid. */
	Autosave.prototype.showError = function (qid, msg) {
		var q = this.qs[qid];
		if (!q)
			return;
		var box = this.form.querySelector('[data-question="' + CSS.escape(qid) + '"]');
		var fs = box && box.querySelector('fieldset');
		if (!fs)
			return;
		var id = 'error-' + qid;
		var p = document.getElementById(id);
		var described = (fs.getAttribute('aria-describedby') || '').split(' ').filter(function (x) {
			return x && x !== id;
		});
		if (!msg) {
			if (p && p.parentNode)
				p.parentNode.removeChild(p);
			box.classList.remove('has-error');
			fs.removeAttribute('aria-invalid');
			fs.setAttribute('aria-describedby', described.join(' '));
			return;
		}
		if (!p) {
			p = document.createElement('p');
			p.className = 'error';
			p.id = id;
			var after = fs.querySelector('.show-if') || fs.querySelector('legend');
			fs.insertBefore(p, after ? after.nextSibling : fs.firstChild);
		}
		p.textContent = '';
		var label = document.createElement('span');
		label.className = 'visually-hidden';
		label.textContent = (this.status.getAttribute('data-error') || 'Error') + ':';
		p.appendChild(label);
		p.appendChild(document.createTextNode(' ' + msg));
		box.classList.add('has-error');
		fs.setAttribute('aria-invalid', 'true');
		described.push(id);
		fs.setAttribute('aria-describedby', described.join(' '));
	};

	/* Compares a stored change with what the server holds (key): returns 'done'
	 * (already stored), 'resend' (the server still holds what the change was made
	 * over) or 'superseded' (someone stored something else since). */
	function reconcile(entry, serverKey, errorPage) {
		var key = keyOf(toAnswer(entry.kind, entry));
		if (key !== null && key === serverKey)
			return errorPage ? 'resend' : 'done';
		if (errorPage || entry.base === serverKey)
			return 'resend';
		return 'superseded';
	}

	/* On load: changes kept in this browser for this assessment come back. */
	Autosave.prototype.recover = function () {
		var self = this;
		if (!this.store)
			return;
		var prefix = PREFIX + this.aid + '.';
		var errorPage = this.errorPage;
		var here = [], elsewhere = {}, superseded = 0;
		for (var i = 0; i < this.store.length; i++) {
			var k = this.store.key(i);
			if (k && k.indexOf(prefix) === 0)
				here.push(k.slice(prefix.length));
		}
		here.forEach(function (qid) {
			var entry;
			try {
				entry = JSON.parse(self.store.getItem(prefix + qid));
			} catch (e) {
				entry = null;
			}
			if (!entry || typeof entry !== 'object' || !entry.kind ||
			    toAnswer(entry.kind, entry).bad === 'corrupt') {
				self.store.removeItem(prefix + qid);
				return;
			}
			var q = self.qs[qid];
			if (!q) {
				elsewhere[qid] = entry;
				return;
			}
			var what = q.kind === entry.kind ? reconcile(entry, self.server[qid], errorPage) : 'superseded';
			if (what === 'resend') {
				restore(q, entry);
				self.pending[qid] = entry;
				self.changed(qid); /* shows a local error again; forgets a change undone */
			} else {
				if (what === 'superseded')
					superseded++;
				self.store.removeItem(prefix + qid);
			}
		});
		if (superseded)
			this.note = this.msg.superseded;
		update(this.form);
		if (Object.keys(elsewhere).length)
			this.recoverElsewhere(elsewhere);
		else if (Object.keys(this.pending).length)
			this.flush(false);
	};

	/* Changes to questions of other areas: checked against the stored answers. */
	Autosave.prototype.recoverElsewhere = function (entries) {
		var self = this;
		fetch('/api/v1/assessments/' + encodeURIComponent(this.aid), {
			credentials: 'same-origin', headers: {'Accept': 'application/json'}
		}).then(function (resp) {
			if (!resp.ok)
				throw new Error('status ' + resp.status);
			return resp.json();
		}).then(function (a) {
			var answers = (a && a.answers) || {};
			Object.keys(entries).forEach(function (qid) {
				var e = entries[qid], s = answers[qid];
				var serverKey = JSON.stringify([s && s.value !== undefined ? s.value : null,
					s && typeof s.comment === 'string' ? s.comment : '']);
				var what = toAnswer(e.kind, e).bad !== 'corrupt' ? reconcile(e, serverKey, false) : 'superseded';
				if (what === 'resend')
					self.pending[qid] = e;
				else
					self.store.removeItem(self.storageKey(qid));
				if (what === 'superseded')
					self.note = self.msg.superseded;
			});
		}).catch(function () {
			/* offline or refused: keep them for the next page */
		}).then(function () {
			if (Object.keys(self.pending).length)
				self.flush(false);
		});
	};

	Autosave.prototype.start = function () {
		var self = this, form = this.form;
		function qidOf(el) {
			if (!el || el.form !== form || !el.name)
				return null;
			var m = /^[qc]\.(.+)$/.exec(el.name);
			return m && self.qs[m[1]] ? m[1] : null;
		}
		function onEdit(ev) {
			var qid = qidOf(ev.target);
			if (qid === null)
				return;
			self.changed(qid);
			self.schedule(DEBOUNCE_MS);
		}
		form.addEventListener('input', onEdit);
		form.addEventListener('change', onEdit);
		/* leaving a question sends at once, unless on the way to Save (which posts
		 * everything) or to another control of the same question (arrow keys in a
		 * radio group) */
		form.addEventListener('focusout', function (ev) {
			var to = ev.relatedTarget, box = ev.target.closest && ev.target.closest('[data-question]');
			if (to && to.form === form && to.type === 'submit')
				return;
			if (to && box && box.contains(to))
				return;
			if (qidOf(ev.target) !== null && self.timer !== null)
				self.flush(false);
		});
		form.addEventListener('submit', function () {
			/* the Save button posts the whole form; what is pending stays stored until a
			 * page shows it saved */
			self.leaving = true;
			clearTimeout(self.timer);
			self.timer = null;
		});
		function leave() {
			if (self.leaving || !Object.keys(self.pending).length)
				return;
			var batch = self.inflight && self.batch();
			if (batch) /* the request in flight may die with the page: send it again */
				self.request(batch, true).catch(function () {});
			else
				self.flush(true);
		}
		document.addEventListener('visibilitychange', function () {
			if (document.visibilityState === 'hidden')
				leave();
		});
		window.addEventListener('pagehide', leave);
		window.addEventListener('pageshow', function (ev) {
			if (ev.persisted) {
				self.leaving = false;
				if (Object.keys(self.pending).length)
					self.flush(false);
			}
		});
		window.addEventListener('online', function () {
			if (Object.keys(self.pending).length)
				self.flush(false);
		});
		this.status.hidden = false;
		this.say(this.msg.intro, false);
		this.recover();
	};

	document.addEventListener('DOMContentLoaded', function () {
		var store = openStorage();
		document.querySelectorAll('form.area-form').forEach(function (form) {
			update(form);
			form.addEventListener('change', function () { update(form); });
			var status = document.getElementById('autosave-status');
			if (form.hasAttribute('data-autosave') && status && window.fetch && window.JSON)
				new Autosave(form, status, store).start();
		});
		var summary = document.getElementById('error-summary');
		if (summary)
			summary.focus();
	});
})();
