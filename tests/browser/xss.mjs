// The XSS corpus in a real Chromium: every payload of tests/data/security/xss-payloads.txt goes
// through the archive's own forms into every text field, then every page that shows it is opened
// and watched. A payload fails the run when a script of it runs (alert, confirm, prompt or print is
// called, or a dialog opens), when anything loads from outside the archive, when a dangerous
// element, attribute or URL survives in user content, or when clicking a link in user content
// runs anything. Pages are opened with the Content-Security-Policy bypassed, so the sanitizer is
// tested on its own (the CSP is the second wall, not the first).
//
//   node xss.mjs BASE-URL [PAYLOADS-FILE] [ADMIN-LOGIN]
//
// ADMIN-LOGIN is an admin account with the test's password (`quire user add LOGIN --admin`): it
// reads the abuse reports the run sends; without it those pages are left out (and noted).
//
// `crates/cli/tests/xss_browser.rs` starts a fresh `quire serve` and runs this; to add a field,
// add one line to FIELDS (and, for a new form, one entry to FORMS and STEPS); see README.md.
// Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';
const [base, payloadsFile = join(here, '..', 'data', 'security', 'xss-payloads.txt'), ADMIN] = process.argv.slice(2);
if (!base) {
  console.error('usage: node xss.mjs BASE-URL [PAYLOADS-FILE] [ADMIN-LOGIN]');
  process.exit(2);
}
const origin = new URL(base).origin;
const url = (path) => new URL(path, base).href;
const PASSWORD = 'lanterns of hollowmere';
const PAYLOADS = readFileSync(payloadsFile, 'utf8').split('\n').filter((line) => line.trim() !== '');
// Payload workers running side by side (each with its own tabs for the forms).
const WORKERS = Number(process.env.QUIRE_XSS_WORKERS || 3);
// Tabs per account (and for guests) checking pages side by side, shared by the workers: each
// has its own browser context and its own record of what it is looking at, so a failure still
// names its payload and page.
const CHECKERS = Number(process.env.QUIRE_XSS_CHECKERS || 4);
// Abuse reports one account may send an hour (the archive's limit): the run signs up another
// reporter when one has sent this many.
const REPORTS_PER_REPORTER = 5;

// ---------------------------------------------------------------------------------------------
// Where the payloads go. A field is the `name` of an input or textarea of one of FORMS; `keep` is
// a tag put before the payload (a work needs a fandom), `before` is text put before it (a comment
// or a chapter needs words once the sanitizer is done), `safe` replaces a payload the form refused
// (a refusal is fine: the error page is checked like any other); it may be a function of the
// payload's run when each run needs its own (a pseud's name).

const FIELDS = [
  { form: 'work', name: 'title', label: 'work title' },
  { form: 'work', name: 'fandoms', label: 'fandom tags', keep: 'XSS Corpus', safe: 'XSS Corpus' },
  { form: 'work', name: 'relationships', label: 'relationship tags' },
  { form: 'work', name: 'characters', label: 'character tags' },
  { form: 'work', name: 'freeforms', label: 'additional tags' },
  { form: 'work', name: 'summary', label: 'work summary' },
  { form: 'work', name: 'notes', label: 'work notes' },
  { form: 'work', name: 'end_notes', label: 'work end notes' },
  { form: 'work', name: 'chapter_title', label: 'chapter 1 title' },
  { form: 'work', name: 'content', label: 'chapter 1 text (HTML)', before: 'Words. ' },
  { form: 'markdownChapter', name: 'title', label: 'chapter 2 title' },
  { form: 'markdownChapter', name: 'summary', label: 'chapter 2 summary (Markdown)' },
  { form: 'markdownChapter', name: 'notes', label: 'chapter 2 notes (Markdown)' },
  { form: 'markdownChapter', name: 'content', label: 'chapter 2 text (Markdown)', before: 'Words. ' },
  { form: 'markdownChapter', name: 'end_notes', label: 'chapter 2 end notes (Markdown)' },
  { form: 'plainChapter', name: 'title', label: 'chapter 3 title' },
  { form: 'plainChapter', name: 'summary', label: 'chapter 3 summary (plain text)' },
  { form: 'plainChapter', name: 'notes', label: 'chapter 3 notes (plain text)' },
  { form: 'plainChapter', name: 'content', label: 'chapter 3 text (plain text)', before: 'Words. ' },
  { form: 'plainChapter', name: 'end_notes', label: 'chapter 3 end notes (plain text)' },
  { form: 'comment', name: 'comment', label: 'comment', before: 'Words. ' },
  { form: 'bookmark', name: 'notes', label: 'bookmark notes' },
  { form: 'bookmark', name: 'tags', label: 'bookmark tags' },
  { form: 'preferences', name: 'time_zone', label: 'time zone preference', safe: 'UTC' },
  { form: 'guestComment', name: 'name', label: 'guest comment name', safe: 'A guest' },
  { form: 'report', name: 'summary', label: 'abuse report summary', safe: 'A report' },
  { form: 'report', name: 'details', label: 'abuse report text', before: 'Words. ' },
  { form: 'series', name: 'title', label: 'series title', safe: 'XSS Corpus series' },
  { form: 'series', name: 'summary', label: 'series summary' },
  { form: 'series', name: 'notes', label: 'series notes' },
  { form: 'pseud', name: 'name', label: 'pseud name', safe: (run) => `XSS pseud ${run.index + 1}` },
  { form: 'pseud', name: 'description', label: 'pseud description' },
  { form: 'profile', name: 'title', label: 'profile title' },
  { form: 'profile', name: 'about', label: 'profile about text' },
];

// The forms: who fills them in, where (from what the payload's run found so far), the button
// that sends them (a `preview` button is pressed first when given), the fixed answers of the
// other fields (a select's option or a checkbox's value), and what to remember afterwards.
// `exclusive` pages show what the form just saved for one account as a whole (a profile): the
// form is sent and they are checked by one worker at a time, before another payload replaces it.
const FORMS = {
  work: {
    as: 'author', path: () => '/works/new', preview: 'Preview', submit: 'Post',
    set: { rating: 'General Audiences', warnings: 'No Archive Warnings Apply', format: 'html', new_series: 'XSS Corpus series' },
    after: async (run, page) => {
      run.work = new URL(page.url()).pathname;
      run.series = new URL(await page.locator('nav#series a').first().getAttribute('href'), base).pathname;
    },
  },
  markdownChapter: {
    as: 'author', path: (run) => `${run.work}/chapters/new`, submit: 'Post', set: { format: 'markdown' },
  },
  plainChapter: {
    as: 'author', path: (run) => `${run.work}/chapters/new`, submit: 'Post', set: { format: 'plain' },
  },
  comment: {
    as: 'reader', path: (run) => run.work, submit: 'Comment',
    after: (run, page) => { run.comment = new URL(page.url()).hash.replace('#comment-', '/comments/'); },
  },
  bookmark: { as: 'reader', path: (run) => `${run.work}/bookmark`, submit: 'Create bookmark' },
  preferences: { as: 'reader', path: () => `/users/${READER}/preferences`, submit: 'Update' },
  guestComment: {
    as: 'guest', path: (run) => run.work, submit: 'Comment',
    set: { email: 'guest@example.org', comment: 'Words from a guest.' },
    after: (run, page) => { run.guestComment = new URL(page.url()).hash.replace('#comment-', '/comments/'); },
  },
  report: { as: 'reporter', path: (run) => `/abuse_reports/new?url=${run.work}`, submit: 'Send report' },
  series: { as: 'author', path: (run) => `${run.series}/edit`, submit: 'Update' },
  pseud: {
    as: 'author', path: () => `/users/${AUTHOR}/pseuds/new`, submit: 'Save',
    after: (run, page) => { run.pseud = new URL(page.url()).pathname; },
  },
  profile: {
    as: 'author', path: () => `/users/${AUTHOR}/profile/edit`, submit: 'Update',
    exclusive: () => [
      [`/users/${AUTHOR}/profile`, "the creator's profile, as a guest"],
      [`/users/${AUTHOR}/profile/edit`, 'the profile form, as its owner', 'author'],
    ],
  },
};

// What each payload's run does, in order: a form of FORMS, or a button pressed on the work page.
const STEPS = [
  'work',
  { as: 'reader', press: 'Subscribe' }, // so that the new chapters reach the reader's inbox
  'markdownChapter',
  'plainChapter',
  'comment',
  { as: 'reader', press: 'Kudos ♥' },
  'bookmark',
  'preferences',
  'guestComment',
  'report',
  'series',
  'pseud',
  'profile',
];

// The pages of one payload's work, opened by a guest once everything is posted (the entire work by
// the reader too, the edit forms by the creator). The work form's preview and refused forms are
// checked as they come; chapter forms share its preview template and are not previewed, to keep
// the run short. [path, label, who] (a guest unless named).
const WORK_PAGES = (run) => [
  [run.work, 'work page'],
  [`${run.work}?view_full_work=true`, 'entire work'],
  [`${run.work}/navigate`, 'chapter index'],
  [`${run.work}/bookmarks`, "the work's bookmarks"],
  ...run.chapters.map((path, i) => [path, `chapter ${i + 1}`]),
  ...(run.comment ? [[run.comment, 'the comment']] : []),
  ...(run.guestComment ? [[run.guestComment, "the guest's comment"]] : []),
  ...run.tags.map((path) => [path, 'tag works listing']),
  [`/works/search?q=${encodeURIComponent(run.payload)}`, 'search results'],
  [run.series, 'series page'],
  [`${run.series}/edit`, 'the series form, as its creator', 'author'],
  ...(run.pseud ? [[run.pseud, 'pseud page'], [`${run.pseud}/edit`, 'the pseud form, as its owner', 'author']] : []),
  // A member's pages carry forms around the same user content.
  [`${run.work}?view_full_work=true`, 'entire work, as the reader', 'reader'],
  [`${run.work}/edit`, 'the edit form, as its creator', 'author'],
];

// The pages that show every payload at once, opened at the end (each page of a paged listing).
const SHARED_PAGES = () => [
  ['/', 'home page', 1],
  [`/users/${AUTHOR}/series`, "the creator's series", 1],
  [`/users/${AUTHOR}/pseuds`, "the creator's pseuds", 1],
  ...(ADMIN ? [['/admin/reports', 'the abuse reports', 3, 'admin']] : []),
  ['/works', 'works listing', 3],
  [`/users/${AUTHOR}`, "the creator's page", 3],
  [`/users/${AUTHOR}/works/drafts`, "the creator's drafts", 1, 'author'],
  [`/users/${READER}/bookmarks`, "the reader's bookmarks", 3],
  [`/users/${READER}/comments`, "the reader's comments", 3, 'reader'],
  [`/users/${READER}/inbox`, "the reader's inbox", 3, 'reader'],
  [`/users/${READER}/readings`, "the reader's history", 3, 'reader'],
  [`/users/${READER}/subscriptions`, "the reader's subscriptions", 3, 'reader'],
  ['/works/search?q=XSS+Corpus', 'search results for the fandom', 3],
  ['/tags/XSS%20Corpus/works', 'the fandom listing', 3],
];

// ---------------------------------------------------------------------------------------------
// Payload marking: `alert(1)` in payload i's copy for field f becomes alert(100000 + 100 i + f),
// so that whatever runs names its payload and field. (Payloads that spell alert in entities or
// base64 still call alert(1); those are named by the page they ran on.)

const mark = (payload, i, f) => payload.replaceAll('alert(1)', `alert(${100000 + 100 * i + f})`);
const describe = (value, fallback) => {
  const code = Number(value);
  if (Number.isInteger(code) && code >= 100000) {
    const i = Math.floor((code - 100000) / 100);
    const field = FIELDS[code % 100];
    return `payload #${i + 1} ${JSON.stringify(PAYLOADS[i])} in the ${field ? field.label : `field ${code % 100}`}`;
  }
  return `${fallback} (an encoded payload, called with ${JSON.stringify(value)})`;
};

// ---------------------------------------------------------------------------------------------
// The browser and its watchers.

const failures = [];
const notes = [];
const fail = (message) => {
  failures.push(message);
  console.log(`FAIL ${message}`);
};

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  timeout: 60_000,
});

/** Runs in every frame before the page's own code: any dialog function records who called it. */
function recordExecution() {
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    const record = (...args) => {
      window.__quireRan(name, args.length ? String(args[0]) : '');
      return name === 'confirm' ? false : null;
    };
    Object.defineProperty(window, name, { value: record, writable: false, configurable: false });
  }
}

/**
 * A browser context watched for execution and outside requests. `where` says what it is doing
 * (`where.page`, `where.payload`); `where.clicking` lets a clicked link's navigation to another
 * site be stopped without failing (a reader may follow a link out; nothing may load by itself).
 */
async function watchedContext(where) {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  await context.exposeBinding('__quireRan', ({ frame }, how, value) => {
    fail(`${describe(value, where.payload)}: ${how}() ran on ${where.page} (${frame.url()})`);
  });
  await context.addInitScript(recordExecution);
  await context.route('**/*', (route) => {
    const request = route.request();
    const target = request.url();
    if (target.startsWith(`${origin}/`) || target.startsWith('data:')) return route.continue();
    if (where.clicking && request.isNavigationRequest()) {
      notes.push(`${where.page}: a link in user content leads out to ${target} (stopped, allowed)`);
    } else {
      fail(`${where.payload}: ${where.page} tried to load ${target}`);
    }
    return route.abort('blockedbyclient');
  });
  const watch = (page) => {
    page.on('dialog', (dialog) => {
      fail(`${describe(dialog.message(), where.payload)}: a ${dialog.type()} dialog opened on ${where.page}`);
      dialog.dismiss().catch(() => {});
    });
  };
  context.on('page', watch);
  return context;
}

/** What must never be left in user content (`.userstuff`), as found in the page's DOM. */
function leftovers() {
  const FORBIDDEN = new Set([
    'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'style', 'link', 'meta', 'base',
    'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'template', 'noscript', 'video', 'audio',
    'source', 'isindex', 'marquee', 'details', 'body', 'html',
  ]);
  const URLS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'data', 'poster', 'srcset', 'srcdoc', 'lowsrc', 'dynsrc']);
  const found = [];
  for (const root of document.querySelectorAll('.userstuff')) {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      if (FORBIDDEN.has(tag)) found.push(`a <${tag}> element`);
      for (const { name, value } of el.attributes) {
        const attr = name.toLowerCase();
        if (attr.startsWith('on')) found.push(`<${tag} ${attr}>`);
        if (attr === 'style') found.push(`<${tag} style="${value}">`);
        if (URLS.has(attr) && /^\s*[a-z][a-z0-9+.-]*:/i.test(value) && !/^\s*(https?|mailto):/i.test(value)) {
          found.push(`<${tag} ${attr}="${value}">`);
        }
      }
      if (tag === 'a' && el.target === '_blank' && !/\bnoopener\b|\bnoreferrer\b/.test(el.rel)) {
        found.push('a target=_blank link without rel=noopener');
      }
      if (getComputedStyle(el).position === 'fixed') found.push(`<${tag}> positioned over the page`);
    }
  }
  return found;
}

/** Checks the page now shown: what is left in user content, then every link in it, clicked. */
async function inspect(page, where, { click = true } = {}) {
  await page.waitForTimeout(50); // onerror of images that failed, SVG animations, autofocus
  for (const found of await page.evaluate(leftovers)) fail(`${where.payload}: ${found} in user content on ${where.page}`);
  if (!click) return;
  const links = page.locator('.userstuff a');
  const count = await links.count();
  if (count === 0) return;
  // A click runs the link's handlers and a `javascript:` URL; any other link's navigation is
  // stopped, so that the page (a preview, the answer to a POST) stays for the next click.
  await page.evaluate(() =>
    document.addEventListener('click', (event) => {
      const link = event.target.closest && event.target.closest('a');
      if (link && !/^\s*javascript:/i.test(link.getAttribute('href') ?? '')) event.preventDefault();
    }, true));
  const at = page.url();
  for (let j = 0; j < count; j++) {
    where.clicking = true;
    // A script-run click: links hidden inside odd markup are clicked too.
    await links.nth(j).evaluate((a) => a.click()).catch(() => {});
    await page.waitForTimeout(100);
    where.clicking = false;
    if (page.url() !== at) fail(`${where.payload}: clicking a link in user content on ${where.page} left for ${page.url()}`);
  }
  for (const other of page.context().pages()) if (other !== page) await other.close();
}

/** Opens a page as the given tab, checks its status (any 2xx), and inspects it. */
async function visit(page, where, path, label) {
  where.page = `${label} (${path})`;
  const response = await page.goto(url(path), { waitUntil: 'load' });
  if (!response || response.status() >= 400) {
    fail(`${where.payload}: ${label} ${path} answered ${response ? response.status() : 'nothing'}`);
  }
  await inspect(page, where);
}

// ---------------------------------------------------------------------------------------------
// Forms.

const AUTHOR = `xssauthor${Date.now() % 100_000}`;
const READER = `xssreader${Date.now() % 100_000}`;

async function signUp(page, login) {
  await page.goto(url('/users/new'));
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('E-mail').fill(`${login}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Create Account' }).click()]);
  if (!(await page.locator('header.site nav.account', { hasText: 'Log Out' }).count())) {
    throw new Error(`could not sign up ${login} (at ${page.url()})`);
  }
}

/** The button named `button` (exactly), and the form that holds it. */
const buttonNamed = (page, button) => page.locator('button').filter({ hasText: new RegExp(`^\\s*${button}\\s*$`) }).first();
const formOf = (page, button) => page.locator('form').filter({ has: buttonNamed(page, button) }).first();

async function setField(form, name, value) {
  const field = form.locator(`[name="${name}"]`);
  const tag = await field.first().evaluate((el) => `${el.localName}:${el.type}`);
  if (tag.startsWith('select')) await field.first().selectOption(value);
  else if (tag.endsWith(':checkbox')) await form.locator(`[name="${name}"][value="${value}"]`).check();
  else await field.first().fill(value);
}

/** Logs an existing account in (the admin the test added). */
async function logIn(page, login) {
  await page.goto(url('/users/login'));
  await page.getByLabel('User name or e-mail').fill(login);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Log In' }).click()]);
  if (!(await page.locator('header.site nav.account', { hasText: 'Log Out' }).count())) {
    throw new Error(`could not log in ${login} (at ${page.url()})`);
  }
}

/** A field's safe value for this run. */
const safeValue = (f, run) => (typeof f.safe === 'function' ? f.safe(run) : f.safe ?? 'refused');

/**
 * Presses `button` and waits for the page it leads to. A refusal (4xx) is inspected, its refused
 * fields get their safe value, and the form is sent again; returns the names of refused fields.
 * A refusal of the whole form names no field: the fields with a safe value of their own are
 * replaced first (they are the ones a form refuses), and the others only if it is refused again.
 */
async function send(page, where, run, fields, button) {
  const refused = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), buttonNamed(page, button).click()]);
    if (response.status() < 400) return refused;
    where.page = `the refused ${button} form (${new URL(page.url()).pathname})`;
    await inspect(page, where, { click: false });
    const errors = await page.locator('.field-error[id$="-error"]').evaluateAll((els) => els.map((el) => [el.id.replace(/-error$/, ''), el.innerText]));
    let named = fields.filter((f) => errors.some(([id]) => id === f.name || id === `bookmark-${f.name}`));
    if (named.length === 0 && errors.length === 0 && (await page.locator('.form-error').count())) {
      const left = fields.filter((f) => !refused.includes(f.label));
      named = left.filter((f) => f.safe !== undefined);
      if (named.length === 0) named = left;
    }
    if (named.length === 0) {
      throw new Error(`${button} answered ${response.status()} naming no field of this test: ${JSON.stringify(errors)} ${await page.locator('main').innerText()}`);
    }
    for (const f of named) {
      if (!refused.includes(f.label)) refused.push(f.label);
      await setField(formOf(page, button), f.name, safeValue(f, run));
    }
  }
  throw new Error(`${button} was still refused after three tries`);
}

async function fillAndSend(page, where, run, formName) {
  const form = FORMS[formName];
  where.page = `the ${formName} form`;
  await page.goto(url(form.path(run)), { waitUntil: 'load' });
  const button = form.preview ?? form.submit;
  const fields = FIELDS.map((f, index) => ({ ...f, index })).filter((f) => f.form === formName);
  const shown = formOf(page, button);
  for (const [name, value] of Object.entries(form.set ?? {})) await setField(shown, name, value);
  for (const f of fields) {
    const payload = mark(run.payload, run.index, f.index);
    const value = f.keep ? `${f.keep}, ${payload}` : `${f.before ?? ''}${payload}`;
    await setField(shown, f.name, value);
  }
  const refused = await send(page, where, run, fields, button);
  if (form.preview) {
    where.page = `the ${formName} preview`;
    await inspect(page, where);
    refused.push(...(await send(page, where, run, fields, form.submit)));
  }
  if (refused.length) notes.push(`payload #${run.index + 1}: refused by the form in: ${refused.join(', ')}`);
  await form.after?.(run, page);
}

// ---------------------------------------------------------------------------------------------
// Checking pages side by side: a pool of tabs per account (and for guests), each in a watched
// context of its own with its own `where`, taken by whoever has a page to check.

const accounts = {};

class Checkers {
  constructor(who) {
    this.who = who;
    this.free = [];
    this.waiting = [];
    this.made = 0;
  }

  async take() {
    if (this.free.length) return this.free.pop();
    if (this.made < CHECKERS) {
      this.made++;
      const where = { payload: '', page: '', clicking: false };
      const context = await watchedContext(where);
      if (this.who !== 'guest') await context.addCookies(await accounts[this.who].context().cookies());
      return { where, page: await context.newPage() };
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(tab) {
    const next = this.waiting.shift();
    if (next) next(tab);
    else this.free.push(tab);
  }
}

const checkers = {};
const checkersOf = (who) => (checkers[who] ??= new Checkers(who));

/** Opens `path` as `who` in a free checking tab and inspects it; a failure names `payload`. */
async function check(payload, path, label, who = 'guest') {
  const pool = checkersOf(who);
  const tab = await pool.take();
  try {
    tab.where.payload = payload;
    tab.where.clicking = false;
    await visit(tab.page, tab.where, path, label);
  } catch (err) {
    fail(`${payload}: ${label} (${path}): ${err.stack || err}`);
  } finally {
    pool.give(tab);
  }
}

/** The pages that show what one account saved as a whole, one worker at a time. */
let exclusiveTurn = Promise.resolve();
function exclusively(work) {
  const turn = exclusiveTurn.then(work);
  exclusiveTurn = turn.catch(() => {});
  return turn;
}

// ---------------------------------------------------------------------------------------------
// The run.

const setup = { payload: 'setting up', page: 'sign-up' };
accounts.author = await (await watchedContext(setup)).newPage();
accounts.reader = await (await watchedContext(setup)).newPage();
await signUp(accounts.author, AUTHOR);
await signUp(accounts.reader, READER);
if (ADMIN) {
  accounts.admin = await (await watchedContext(setup)).newPage();
  await logIn(accounts.admin, ADMIN);
} else {
  notes.push('no admin login given: the abuse reports were sent but not read');
}

let reporters = 0;
/** The worker's reporting tab: a new account once the last one sent its hour's reports. */
async function reporterTab(tabs) {
  if (!tabs.reporter || tabs.reports >= REPORTS_PER_REPORTER) {
    await tabs.reporter?.context().close();
    const page = await (await watchedContext(tabs.where)).newPage();
    reporters += 1;
    await signUp(page, `${READER}r${reporters}`);
    tabs.reporter = page;
    tabs.reports = 0;
  }
  tabs.reports += 1;
  return tabs.reporter;
}

/** One payload: posted everywhere, then every page of its work opened by a guest and the reader. */
async function runPayload(index, tabs) {
  const run = { index, payload: PAYLOADS[index], chapters: [], tags: [] };
  const where = tabs.where;
  where.payload = `payload #${index + 1} ${JSON.stringify(run.payload)}`;
  for (const step of STEPS) {
    if (typeof step === 'string') {
      const form = FORMS[step];
      const page = form.as === 'reporter' ? await reporterTab(tabs) : tabs[form.as];
      if (form.exclusive) {
        await exclusively(async () => {
          await fillAndSend(page, where, run, step);
          await Promise.all(form.exclusive(run).map(([path, label, who]) => check(where.payload, path, label, who)));
        });
      } else {
        await fillAndSend(page, where, run, step);
      }
    } else {
      const page = tabs[step.as];
      where.page = `the work page, pressing ${step.press}`;
      await page.goto(url(run.work), { waitUntil: 'load' });
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), buttonNamed(page, step.press).click()]);
      where.page = `the page after ${step.press} (${new URL(page.url()).pathname})`;
      await inspect(page, where);
    }
  }
  // The chapters and tags as the work page links them (so their URLs are the archive's own).
  await tabs.guest.goto(url(`${run.work}/navigate`), { waitUntil: 'load' });
  run.chapters = await tabs.guest.locator('ol.chapter.index li a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  await tabs.guest.goto(url(run.work), { waitUntil: 'load' });
  // The tags the payload went into (not the rating and warning every work has).
  run.tags = await tabs.guest.locator('dl.work.meta a.tag').evaluateAll((as) =>
    as.filter((a) => !['General Audiences', 'No Archive Warnings Apply'].includes(a.innerText.trim())).map((a) => new URL(a.href).pathname));
  if (run.chapters.length !== 3) fail(`${where.payload}: the work has ${run.chapters.length} chapters, not 3`);
  await Promise.all(WORK_PAGES(run).map(([path, label, who = 'guest']) =>
    check(where.payload, path, `${label}${who === 'guest' ? ', as a guest' : ''}`, who)));
}

async function worker(number, queue) {
  const where = { payload: '', page: '', clicking: false };
  const tabs = { where };
  tabs.guest = await (await watchedContext(where)).newPage();
  for (const who of ['author', 'reader']) {
    // The same account in a tab of its own, watched for this worker's payloads.
    const context = await watchedContext(where);
    await context.addCookies(await accounts[who].context().cookies());
    tabs[who] = await context.newPage();
  }
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    const started = Date.now();
    try {
      await runPayload(index, tabs);
      console.log(`ok   payload #${index + 1} (${Date.now() - started} ms, worker ${number})`);
    } catch (err) {
      fail(`${where.payload} at ${where.page}: ${err.stack || err}`);
    }
  }
}

const started = Date.now();
const queue = PAYLOADS.map((_, i) => i);
await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n + 1, queue)));

// The pages that show every payload at once, each page of a paged listing, side by side; then
// every abuse report the admin's queue links.
const shared = 'one of the payloads';
const sharedChecks = [];
for (const [path, label, pages, who = 'guest'] of SHARED_PAGES()) {
  for (let n = 1; n <= pages; n++) {
    const paged = n === 1 ? path : `${path}${path.includes('?') ? '&' : '?'}page=${n}`;
    sharedChecks.push(check(shared, paged, `${label}${n > 1 ? `, page ${n}` : ''}, as ${who}`, who));
  }
}
await Promise.all(sharedChecks);
if (ADMIN) {
  const reports = [];
  for (let n = 1; n <= 3; n++) {
    await accounts.admin.goto(url(`/admin/reports?page=${n}`), { waitUntil: 'load' });
    reports.push(...(await accounts.admin.locator('ol.reports li > a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname))));
  }
  if (reports.length < PAYLOADS.length) fail(`the admin's queue lists ${reports.length} abuse reports, not ${PAYLOADS.length}`);
  await Promise.all(reports.map((path) => check(shared, path, 'an abuse report, as the admin', 'admin')));
}

await browser.close();
for (const note of notes) console.log(`note ${note}`);
if (failures.length) {
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log(`all ${PAYLOADS.length} payloads stayed inert in ${FIELDS.length} fields (${Math.round((Date.now() - started) / 1000)} s)`);
