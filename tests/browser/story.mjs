// The whole story in headless Chromium (see tests/browser/run, which calls this):
// an official signs in, starts an assessment and answers two areas (one saved by
// the autosave script, one with the Save button), reloads and sees the answers; the
// focal point of the same country submits; a reviewer comments and returns it; the
// official sees the comment and what needs work. Then the autosave safety net: a
// failing request keeps the change in localStorage and sends it once requests go
// through again; with the server stopped and the tab closed, the next page load puts
// the change back and sends it. Last, the forms without JavaScript.
//
// Environment: SOMGUIDE_BIN (default build/somguide), CHROMIUM (default
// /usr/bin/chromium), SHOTS (default tests/browser/shots), KEEP_TMP=1 keeps the
// temporary folder (database, server log, browser profile).
// Prints one line per step and, last, "N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = path.resolve(ROOT, process.env.SOMGUIDE_BIN || 'build/somguide');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SHOTS || path.join(HERE, 'shots');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'somguide-browser-'));
const DB = path.join(TMP, 'somguide.db');
const PASSWORD = 'browser story password 1';
const COUNTRY = 'KEN';
const ROUND = '2026';
const STEP_TIMEOUT = 15000;

const USERS = [
	{ name: 'amina.official', role: 'official', country: COUNTRY },
	{ name: 'joseph.focal', role: 'official', country: COUNTRY, focal: true },
	{ name: 'rita.reviewer', role: 'reviewer' },
];

/* ---- the server ---------------------------------------------------------- */

const serverLog = fs.openSync(path.join(TMP, 'server.log'), 'a');
let server = null; // {proc, base, port}

function startServer(port = 0) {
	return new Promise((resolve, reject) => {
		const proc = spawn(BIN, ['serve', '--port', String(port), '--db', DB, '--root', ROOT, '--threads', '4'],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', serverLog] });
		const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('the server did not start in 15 s')); }, 15000);
		proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited with ${code} before listening (see ${TMP}/server.log)`)); });
		const lines = readline.createInterface({ input: proc.stdout });
		lines.on('line', (line) => {
			fs.writeSync(serverLog, line + '\n');
			const m = /^listening on (http:\/\/\S+?):(\d+)$/.exec(line);
			if (m) {
				clearTimeout(timer);
				proc.removeAllListeners('exit');
				server = { proc, base: `${m[1]}:${m[2]}`, port: Number(m[2]) };
				resolve(server);
			}
		});
	});
}

function stopServer() {
	const s = server;
	server = null;
	if (!s)
		return Promise.resolve(0);
	return new Promise((resolve, reject) => {
		if (s.proc.exitCode !== null)
			return resolve(s.proc.exitCode);
		const timer = setTimeout(() => { s.proc.kill('SIGKILL'); reject(new Error('the server did not stop within 10 s of SIGTERM')); }, 10000);
		s.proc.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (code !== 0)
				reject(new Error(`the server stopped with ${code ?? signal} after SIGTERM`));
			else
				resolve(0);
		});
		s.proc.kill('SIGTERM');
	});
}

/* The same port again (the pages keep their origin); the port may linger briefly. */
async function restartServer(port) {
	for (let i = 0; ; i++) {
		try {
			return await startServer(port);
		} catch (e) {
			if (i >= 20)
				throw e;
			await new Promise((r) => setTimeout(r, 250));
		}
	}
}

/* ---- steps ----------------------------------------------------------------- */

let passed = 0, failed = 0, shotNo = 0;
const problems = []; // page errors and CSP violations, checked by a step of their own

async function step(name, fn) {
	const t0 = Date.now();
	try {
		await fn();
		passed++;
		console.log(`ok   ${name} (${Date.now() - t0} ms)`);
		return true;
	} catch (e) {
		failed++;
		console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
		for (const p of openPages)
			if (!p.isClosed())
				await shot(p, `FAIL-${name}`).catch(() => {});
		return false;
	}
}

function check(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

function eq(actual, expected, what) {
	const a = JSON.stringify(actual), b = JSON.stringify(expected);
	if (a !== b)
		throw new Error(`${what}: expected ${b}, got ${a}`);
}

/* A screenshot of the viewport; with `at`, scrolled to that element first. */
async function shot(page, name, at) {
	fs.mkdirSync(SHOTS, { recursive: true });
	if (at)
		await page.locator(at).first().scrollIntoViewIfNeeded();
	const file = path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
	await page.screenshot({ path: file, fullPage: false });
}

/* ---- the browser ------------------------------------------------------------ */

let context = null;
const openPages = new Set();

function watch(page, who) {
	openPages.add(page);
	page.on('close', () => openPages.delete(page));
	page.on('pageerror', (e) => problems.push(`${who}: page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
			problems.push(`${who}: ${m.text()}`);
	});
	page.setDefaultTimeout(STEP_TIMEOUT);
	return page;
}

async function newUser(who, opts = {}) {
	const ctx = await context.browser().newContext({ viewport: { width: 1280, height: 900 }, ...opts });
	const page = watch(await ctx.newPage(), who);
	return { ctx, page };
}

const q = (qid) => `[id="question-${qid}"]`;
const option = (qid, oid) => `input[name="q.${qid}"][value="${oid}"]`;
const field = (qid) => `[name="q.${qid}"]`;
const comment = (qid) => `[name="c.${qid}"]`;

async function signIn(page, name) {
	await page.goto(`${server.base}/login`);
	await page.fill('#username', name);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('main form button[type=submit]')]);
}

async function status(page) {
	return (await page.textContent('#autosave-status')).trim();
}

async function waitStatus(page, text) {
	await page.waitForFunction((t) => {
		const s = document.getElementById('autosave-status');
		return s && s.textContent.trim().startsWith(t);
	}, text);
}

/* Changes kept in this browser, {question: entry}. */
async function pending(page, id) {
	return page.evaluate((prefix) => {
		const out = {};
		for (let i = 0; i < localStorage.length; i++) {
			const k = localStorage.key(i);
			if (k.startsWith(prefix))
				out[k.slice(prefix.length)] = JSON.parse(localStorage.getItem(k));
		}
		return out;
	}, `somguide.pending.${id}.`);
}

/* The stored answers, through the API with the page's session. */
async function stored(page, id) {
	return page.evaluate(async (aid) => {
		const r = await fetch(`/api/v1/assessments/${aid}`, { headers: { Accept: 'application/json' } });
		if (!r.ok)
			throw new Error(`GET assessment: ${r.status}`);
		return (await r.json()).answers;
	}, id);
}

const value = (answers, qid) => answers[qid] ? answers[qid].value : undefined;

/* ---- the story ---------------------------------------------------------------- */

async function main() {
	const t0 = Date.now();
	fs.rmSync(SHOTS, { recursive: true, force: true }); // no stale screenshots of an earlier run
	for (const u of USERS) {
		const args = ['user', 'add', '--username', u.name, '--role', u.role, '--db', DB, '--root', ROOT];
		if (u.country)
			args.push('--country', u.country);
		if (u.focal)
			args.push('--focal-point');
		execFileSync(BIN, args, { input: PASSWORD + '\n', cwd: ROOT, stdio: ['pipe', 'ignore', 'inherit'] });
	}
	await startServer(0);
	console.log(`server ${server.base}, database ${DB}`);
	context = await chromium.launchPersistentContext(path.join(TMP, 'profile'), {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1280, height: 900 },
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	console.log(`chromium ${context.browser() ? context.browser().version() : '?'} started in ${Date.now() - t0} ms`);

	const official = { ctx: context, page: watch(context.pages()[0] || await context.newPage(), 'official') };
	let id = null;
	let page = official.page;
	const all = [];
	const S = async (name, fn) => { const ok = await step(name, fn); all.push(ok); if (!ok) throw new Error('stop'); };

	await S('official signs in and starts the assessment', async () => {
		await signIn(page, 'amina.official');
		await page.goto(`${server.base}/assessments`);
		await page.selectOption('#country', COUNTRY);
		await page.fill('#round', ROUND);
		await Promise.all([page.waitForURL(/\/assessments\/\d+$/), page.click('text=Start the assessment')]);
		id = Number(/\/assessments\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
		check(await page.isVisible('text=Draft'), 'the new assessment is not shown as a draft');
		check(!(await page.isVisible('text=Submit to UNODC')), 'an official who is not the focal point is offered Submit');
		await shot(page, 'overview-new');
	});

	await S('area 1 answered with clicks and typing, saved by autosave', async () => {
		await Promise.all([page.waitForURL(/\/areas\/prevention$/), page.click('.areas a[href$="/areas/prevention"]')]);
		check(await page.isVisible('#autosave-status'), 'no autosave status line');
		const size = await page.evaluate(() => performance.getEntriesByType('navigation')[0].decodedBodySize);
		console.log(`     the area page is ${(size / 1024).toFixed(1)} KiB`);
		check(size < 100 * 1024, `the area page is ${size} bytes, not well under 100 KB`);
		eq(await status(page), 'Answers are saved as you work.', 'status before any change');
		// a show_if question appears once its controlling answer allows it
		check(await page.isHidden(q('prev.campaign-quality')), 'prev.campaign-quality shown before its condition holds');
		await page.click(`label[for="q-prev.awareness-campaigns-partial"]`);
		await page.waitForSelector(q('prev.campaign-quality'), { state: 'visible' });
		await page.click(`label[for="q-prev.campaign-quality-evidence-based"]`);
		await page.click(`label[for="q-prev.campaign-quality-languages-channels"]`);
		await page.click(`label[for="q-prev.public-information-cooperation-yes"]`);
		await page.click(`label[for="q-prev.common-understanding-established"]`);
		await page.locator(field('prev.campaigns-count')).pressSequentially('12');
		await page.locator(comment('prev.campaigns-count')).pressSequentially("National campaign report, 2025.");
		await page.locator(field('prev.notes')).pressSequentially('Campaigns run with IOM in three border regions.');
		check(Object.keys(await pending(page, id)).length > 0, 'changes are not kept in localStorage before the server confirms them');
		await waitStatus(page, 'All changes saved');
		eq(await pending(page, id), {}, 'changes kept after the server confirmed them');
		const a = await stored(page, id);
		eq(value(a, 'prev.awareness-campaigns'), 'partial', 'stored prev.awareness-campaigns');
		eq(value(a, 'prev.campaign-quality'), ['evidence-based', 'languages-channels'], 'stored prev.campaign-quality');
		eq(value(a, 'prev.public-information-cooperation'), 'yes', 'stored prev.public-information-cooperation');
		eq(value(a, 'prev.campaigns-count'), 12, 'stored prev.campaigns-count');
		eq(a['prev.campaigns-count'].comment, 'National campaign report, 2025.', 'stored comment');
		eq(value(a, 'prev.notes'), 'Campaigns run with IOM in three border regions.', 'stored text');
		await shot(page, 'area1-autosaved', q('prev.campaign-quality'));
	});

	await S('area 1: a refused answer is shown beside its question, the others are saved', async () => {
		await page.fill(field('prev.budget'), 'a lot');
		await page.waitForSelector('[id="error-prev.budget"]');
		check((await page.textContent('[id="error-prev.budget"]')).includes('Enter a number'), 'no local message for a non-number');
		await page.fill(field('prev.budget'), '-5');
		await page.click(`label[for="q-prev.root-causes-planned"]`);
		await page.waitForFunction(() => /minimum/.test((document.getElementById('error-prev.budget') || {}).textContent || ''));
		await waitStatus(page, 'Not saved: an answer needs correcting, see question 1.16');
		eq(await page.getAttribute('#autosave-status a', 'href'), '#question-prev.budget', 'the status line links to the question');
		check(await page.getAttribute('[id="question-prev.budget"] fieldset', 'aria-invalid') === 'true', 'the question is not marked invalid');
		await shot(page, 'area1-server-error', q('prev.budget'));
		let a = await stored(page, id);
		eq(value(a, 'prev.root-causes'), 'planned', 'the valid answer sent with the refused one');
		eq(value(a, 'prev.budget'), undefined, 'the refused answer');
		check(Object.keys(await pending(page, id)).includes('prev.budget'), 'the refused answer is not kept on the device');
		await page.fill(field('prev.budget'), '250000');
		await waitStatus(page, 'All changes saved');
		check(await page.isHidden('[id="error-prev.budget"]'), 'the message stays after the answer was corrected');
		a = await stored(page, id);
		eq(value(a, 'prev.budget'), 250000, 'the corrected answer');
		eq(await pending(page, id), {}, 'changes kept after saving');
	});

	await S('a change made just before leaving the page is not lost', async () => {
		// leaving within the 1.5 s: the request goes with keepalive, and the next
		// area page sends what it has not seen confirmed
		await page.click(`label[for="q-prev.entry-denial-partly"]`);
		await Promise.all([page.waitForURL(/\/areas\/data$/), page.click('.area-nav a[href$="/areas/data"]')]);
		await page.waitForFunction((k) => !Object.keys(localStorage).some((x) => x.startsWith(k)), `somguide.pending.${id}.`);
		eq(value(await stored(page, id), 'prev.entry-denial'), 'partly', 'the answer changed just before leaving');
	});

	await S('area 2 answered and saved with the Save button', async () => {
		await page.click(`label[for="q-data.offence-statistics-established"]`);
		await page.waitForSelector(q('data.distinct-categories'), { state: 'visible' });
		await page.click(`label[for="q-data.distinct-categories-partly"]`);
		await page.click(`label[for="q-data.disaggregation-sex-age"]`);
		await page.click(`label[for="q-data.disaggregation-nationality"]`);
		await page.click(`label[for="q-data.central-repository-some"]`);
		await page.fill(field('data.figures-year'), '2024');
		await page.fill(field('data.migrants-detected'), '1500');
		await Promise.all([page.waitForURL(/\/areas\/data\?saved=1$/), page.click('.actions button[value="0"]')]);
		check(await page.isVisible('text=Your answers have been saved.'), 'no saved notice');
		eq(await pending(page, id), {}, 'changes kept after the Save button stored them');
		eq(await status(page), 'Answers are saved as you work.', 'status after the Save button');
		const a = await stored(page, id);
		eq(value(a, 'data.offence-statistics'), 'established', 'stored data.offence-statistics');
		eq(value(a, 'data.disaggregation'), ['sex-age', 'nationality'], 'stored data.disaggregation');
		eq(value(a, 'data.figures-year'), 2024, 'stored data.figures-year');
		eq(value(a, 'data.migrants-detected'), 1500, 'stored data.migrants-detected');
		await shot(page, 'area2-saved');
	});

	await S('after a reload both areas show the answers', async () => {
		await page.goto(`${server.base}/assessments/${id}/areas/prevention`);
		await page.reload();
		check(await page.isChecked(option('prev.awareness-campaigns', 'partial')), 'prev.awareness-campaigns');
		check(await page.isVisible(q('prev.campaign-quality')), 'the show_if question is hidden after a reload');
		check(await page.isChecked(option('prev.campaign-quality', 'evidence-based')), 'prev.campaign-quality evidence-based');
		check(await page.isChecked(option('prev.campaign-quality', 'languages-channels')), 'prev.campaign-quality languages-channels');
		check(!(await page.isChecked(option('prev.campaign-quality', 'no-stigma'))), 'prev.campaign-quality no-stigma');
		check(await page.isChecked(option('prev.public-information-cooperation', 'yes')), 'prev.public-information-cooperation');
		check(await page.isChecked(option('prev.root-causes', 'planned')), 'prev.root-causes');
		eq(await page.inputValue(field('prev.campaigns-count')), '12', 'prev.campaigns-count');
		eq(await page.inputValue(field('prev.budget')), '250000', 'prev.budget');
		eq(await page.inputValue(comment('prev.campaigns-count')), 'National campaign report, 2025.', 'comment');
		await page.goto(`${server.base}/assessments/${id}/areas/data`);
		await page.reload();
		check(await page.isChecked(option('data.offence-statistics', 'established')), 'data.offence-statistics');
		check(await page.isChecked(option('data.disaggregation', 'nationality')), 'data.disaggregation');
		eq(await page.inputValue(field('data.figures-year')), '2024', 'data.figures-year');
		eq(await page.inputValue(field('data.migrants-detected')), '1500', 'data.migrants-detected');
		await page.goto(`${server.base}/assessments/${id}`);
		await shot(page, 'overview-answered');
		await Promise.all([page.waitForURL(/\/login|\/$/), page.click('header.site button[type=submit]')]);
	});

	await S('the focal point of the same country submits', async () => {
		const focal = await newUser('focal');
		await signIn(focal.page, 'joseph.focal');
		await focal.page.goto(`${server.base}/assessments/${id}`);
		await Promise.all([focal.page.waitForURL(/\/assessments\/\d+/), focal.page.click('text=Submit to UNODC')]);
		await focal.page.waitForSelector('.status.status-submitted');
		await shot(focal.page, 'focal-submitted');
		await focal.page.goto(`${server.base}/assessments/${id}/areas/prevention`);
		check(await focal.page.isHidden('#autosave-status'), 'autosave offered on a submitted assessment');
		check((await focal.page.$('form.area-form[data-autosave]')) === null, 'a submitted assessment is marked for autosave');
		await focal.ctx.close();
	});

	await S('a reviewer comments on an answer and returns the assessment', async () => {
		const rev = await newUser('reviewer');
		await signIn(rev.page, 'rita.reviewer');
		await rev.page.goto(`${server.base}/assessments/${id}/areas/prevention`);
		await rev.page.fill('[id="comment-body-prev.campaigns-count"]', 'Please give the source and the year of the 12 campaigns.');
		await Promise.all([rev.page.waitForURL(/#question-prev\.campaigns-count$/),
			rev.page.click('button[form="comment-form"][value="prev.campaigns-count"]')]);
		await rev.page.waitForSelector('[id="question-prev.campaigns-count"] .review-comment >> text=Please give the source');
		await shot(rev.page, 'reviewer-commented');
		await rev.page.goto(`${server.base}/assessments/${id}`);
		await Promise.all([rev.page.waitForURL(/\/assessments\/\d+/), rev.page.click('text=Return for revision')]);
		await rev.page.waitForSelector('.status.status-returned');
		await rev.ctx.close();
	});

	await S('the official sees what needs work and the comment beside the question', async () => {
		await signIn(page, 'amina.official');
		await page.goto(`${server.base}/assessments/${id}`);
		await page.waitForSelector('.needs-work');
		const link = page.locator('.needs-work-list a', { hasText: 'campaign' });
		check(await link.count() === 1, 'the question is not listed under what needs work');
		await shot(page, 'official-needs-work');
		await Promise.all([page.waitForURL(/\/areas\/prevention#question-prev\.campaigns-count$/), link.click()]);
		await page.waitForSelector('[id="question-prev.campaigns-count"] .review-comment >> text=Please give the source and the year');
		check(await page.isVisible('#autosave-status'), 'no autosave on a returned assessment');
		await shot(page, 'official-sees-comment');
	});

	await S('offline: a failing request keeps the change on the device and sends it later', async () => {
		const url = `**/api/v1/assessments/${id}/answers`;
		await page.route(url, (route) => route.abort('internetdisconnected'));
		await page.fill(field('prev.campaigns-count'), '14');
		await waitStatus(page, 'Offline — changes kept on this device, will retry');
		const p = await pending(page, id);
		eq(p['prev.campaigns-count'] && p['prev.campaigns-count'].raw, '14', 'the change kept in localStorage');
		eq(value(await stored(page, id), 'prev.campaigns-count'), 12, 'the stored answer while offline');
		await shot(page, 'offline-kept', q('prev.campaigns-count'));
		await page.unroute(url);
		await waitStatus(page, 'All changes saved'); // the retry, after 2 s
		eq(value(await stored(page, id), 'prev.campaigns-count'), 14, 'the stored answer after the retry');
		eq(await pending(page, id), {}, 'changes kept after the retry');
	});

	await S('offline: server stopped, browser window closed; after signing in again the change comes back and is sent', async () => {
		const port = server.port;
		await stopServer();
		await page.click(`label[for="q-prev.public-information-cooperation-partly"]`);
		await waitStatus(page, 'Offline');
		eq((await pending(page, id))['prev.public-information-cooperation'].raw, 'partly', 'the change kept in localStorage');
		// the last window of the browser closes: its session cookie goes, localStorage stays
		await page.close({ runBeforeUnload: true });
		await restartServer(port);
		page = watch(await context.newPage(), 'official');
		official.page = page;
		await page.goto(`${server.base}/assessments/${id}/areas/prevention`);
		check(new URL(page.url()).pathname === '/login', 'the session outlived the browser window');
		await signIn(page, 'amina.official');
		await page.goto(`${server.base}/assessments/${id}/areas/prevention`);
		// the page came with the stored answer; the script puts the kept change back
		await page.waitForFunction(() => document.querySelector('input[name="q.prev.public-information-cooperation"][value="partly"]').checked);
		await waitStatus(page, 'All changes saved');
		eq(value(await stored(page, id), 'prev.public-information-cooperation'), 'partly', 'the stored answer after the reload');
		eq(await pending(page, id), {}, 'changes kept after they were sent');
		await page.reload();
		check(await page.isChecked(option('prev.public-information-cooperation', 'partly')), 'the answer after another reload');
		eq(await status(page), 'Answers are saved as you work.', 'status after a reload with nothing pending');
	});

	await S('without JavaScript the area form saves with the Save button', async () => {
		const nojs = await newUser('official without JavaScript', { javaScriptEnabled: false });
		await signIn(nojs.page, 'amina.official');
		await nojs.page.goto(`${server.base}/assessments/${id}/areas/legislation`);
		check(await nojs.page.isHidden('#autosave-status'), 'the autosave status line shows without JavaScript');
		await nojs.page.click(`label[for="q-leg.party-to-protocol-party"]`);
		await nojs.page.fill(field('leg.max-penalty'), '15');
		await Promise.all([nojs.page.waitForURL(/\/areas\/legislation\?saved=1$/), nojs.page.click('.actions button[value="0"]')]);
		check(await nojs.page.isChecked(option('leg.party-to-protocol', 'party')), 'leg.party-to-protocol after saving');
		eq(await nojs.page.inputValue(field('leg.max-penalty')), '15', 'leg.max-penalty after saving');
		await shot(nojs.page, 'nojs-saved');
		await nojs.ctx.close();
	});

	await S('no script errors and no Content-Security-Policy violations', async () => {
		check(problems.length === 0, problems.join('\n'));
	});
}

// interrupted: no server left behind
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => {
		if (server)
			server.proc.kill('SIGKILL');
		console.log(`interrupted (${sig}); kept ${TMP}`);
		console.log(`${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	});

let code = 0;
const started = Date.now();
try {
	await main();
} catch (e) {
	if (e.message !== 'stop') {
		failed++;
		console.log(`FAIL setting up: ${e.stack || e}`);
	}
} finally {
	if (context)
		await context.close().catch(() => {});
	try {
		await stopServer();
	} catch (e) {
		failed++;
		console.log(`FAIL stopping the server: ${e.message}`);
	}
	if (failed || process.env.KEEP_TMP)
		console.log(`kept ${TMP} (database, server.log)`);
	else
		fs.rmSync(TMP, { recursive: true, force: true });
}
console.log(`screenshots in ${path.relative(ROOT, SHOTS)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
code = failed ? 1 : 0;
process.exit(code);
