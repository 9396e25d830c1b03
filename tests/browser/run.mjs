// Quire's browser tests: a reader's walk through a running demo archive in a real Chromium, axe-core
// on every page type in the light and the dark scheme, and a screenshot of each page type.
//
//   node run.mjs BASE-URL EXAMPLES-JSON
//
// BASE-URL is what `quire serve --demo` printed after "Quire is serving"; EXAMPLES-JSON maps the
// labels of its example list to their URLs, e.g. {"General Audiences": "http://…/works/12", …}.
// `crates/cli/tests/browser.rs` starts the server and runs this; see tests/browser/README.md.
// Screenshots go to target/ui-screenshots/ at the repository root (QUIRE_SCREENSHOTS overrides).
// Exit status: 0 when every check passed, 1 when one failed, 2 on bad usage.

import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';
const SHOTS = resolve(process.env.QUIRE_SCREENSHOTS || join(here, '..', '..', 'target', 'ui-screenshots'));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// axe impacts that fail the run; "moderate" and "minor" are printed but tolerated.
const BLOCKING = new Set(['serious', 'critical']);

const [base, examplesJson] = process.argv.slice(2);
if (!base || !examplesJson) {
  console.error('usage: node run.mjs BASE-URL EXAMPLES-JSON');
  process.exit(2);
}
const examples = JSON.parse(examplesJson);
const origin = new URL(base).origin;
const url = (path) => new URL(path, base).href;
const example = (label) => {
  const found = examples[label];
  if (!found) throw new Error(`the demo printed no example "${label}" (have: ${Object.keys(examples).join(', ')})`);
  return found;
};

// ---------------------------------------------------------------------------------------------
// A tiny runner: named scenarios, each failing on its own, one summary at the end.

const failures = [];
const warnings = [];
let current = '';

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function scenario(name, body) {
  current = name;
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    failures.push(`${name}: ${err.message}`);
    console.log(`FAIL ${name}: ${err.stack || err}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The browser: Debian's chromium, no network beyond the archive under test.

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Playwright gives every launch a fresh temporary profile (user-data-dir) and deletes it after.
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  timeout: 60_000,
});

/** A fresh context (no cookies) whose pages may only talk to the archive under test. */
async function newPage({ scheme = 'light', width = 1280, height = 900, mobile = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    colorScheme: scheme,
    reducedMotion: 'reduce',
    javaScriptEnabled: true,
  });
  context.setDefaultTimeout(15_000);
  const scenarioName = current;
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith(origin + '/') || target.startsWith('data:')) return route.continue();
    failures.push(`${scenarioName}: the page tried to fetch ${target}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => failures.push(`${scenarioName}: script error on ${page.url()}: ${err.message}`));
  return page;
}

async function close(page) {
  await page.context().close();
}

async function open(page, target, status = 200) {
  const response = await page.goto(target, { waitUntil: 'load' });
  check(response, `no response for ${target}`);
  check(response.status() === status, `${target} answered ${response.status()}, expected ${status}`);
  return response;
}

/** Clicks a link and waits for the page it leads to. */
async function follow(page, locator, what) {
  const count = await locator.count();
  check(count > 0, `no ${what} link on ${page.url()}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.first().click()]);
}

async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).trim();
}

/** Runs axe-core on the page; serious and critical violations fail the scenario. */
async function axe(page, label) {
  // evaluate() runs through the DevTools protocol, so a strict CSP on the page does not block it.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
        more: Math.max(0, v.nodes.length - 5),
      })),
    ),
  );
  const blocking = [];
  for (const v of result) {
    const line = `axe ${label}: [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `       ${n}`).join('\n')}${
      v.more ? `\n       … and ${v.more} more` : ''
    }`;
    if (BLOCKING.has(v.impact)) blocking.push(line);
    else warnings.push(line);
  }
  check(blocking.length === 0, `${blocking.length} serious or critical axe violation(s):\n${blocking.join('\n')}`);
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Nothing is wider than the viewport (no sideways scrolling on a phone). */
async function fitsWidth(page) {
  const { scroll, inner, culprit } = await page.evaluate(() => {
    const inner = document.documentElement.clientWidth;
    let culprit = '';
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > inner + 1) {
        culprit = `${el.tagName.toLowerCase()}.${el.className} (right edge ${Math.round(r.right)})`;
        break;
      }
    }
    return { scroll: document.documentElement.scrollWidth, inner, culprit };
  });
  check(scroll <= inner, `page is ${scroll}px wide in a ${inner}px viewport; first too-wide element: ${culprit}`);
}

// ---------------------------------------------------------------------------------------------
// The walk. URLs found along the way feed the per-page-type audit below.

const pages = {}; // page type -> { url, status }
mkdirSync(SHOTS, { recursive: true });
for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(join(SHOTS, f));

await scenario('home page to a fandom, to a work, through its chapters', async () => {
  const page = await newPage();
  await open(page, base);
  check((await text(page, 'h1')) === 'Recent works', 'the home page is headed "Recent works"');
  check((await page.locator('li.blurb').count()) > 0, 'the home page lists works as blurbs');
  pages.home = { url: page.url() };

  const fandom = page.locator('li.blurb .fandoms a.tag').first();
  const fandomName = (await fandom.innerText()).trim();
  await follow(page, fandom, 'fandom');
  check(/\/tags\/[^/]+\/works$/.test(new URL(page.url()).pathname), `a fandom link leads to /tags/…/works, not ${page.url()}`);
  check((await text(page, 'h1')).includes(fandomName), `the tag page's heading names ${fandomName}`);
  const blurbs = page.locator('li.blurb');
  check((await blurbs.count()) > 0, 'the fandom page lists works');
  check(
    (await page.locator('li.blurb .fandoms').allInnerTexts()).every((t) => t.includes(fandomName)),
    `every work on the ${fandomName} page is in that fandom`,
  );
  pages.tag = { url: page.url() };

  // From the fandom page to a work; then a multi-chapter work, chapter by chapter.
  await follow(page, page.locator('li.blurb h3.heading a:not([rel])'), 'work title');
  check(/^\/works\/\d+$/.test(new URL(page.url()).pathname), `a work title leads to /works/{id}, not ${page.url()}`);
  check((await page.locator('h1#work-title').count()) === 1 || (await text(page, 'h1')) === 'Adult content',
    'a work page shows the work or the adult interstitial');

  await open(page, example('Multi-chapter (Teen And Up):'));
  pages.work = { url: page.url() };
  const workPath = new URL(page.url()).pathname;
  const title = await text(page, 'h1#work-title');
  check((await page.locator('dl.work.meta').count()) === 1, 'the work page has the meta block');
  check((await page.locator('#chapters section.chapter').count()) === 1, 'the work page shows one chapter');
  check((await text(page, '#chapters h2')).startsWith('Chapter 1'), 'the work page starts at chapter 1');
  check((await page.locator('nav.chapter-nav a[rel=prev]').count()) === 0, 'chapter 1 has no Previous link');

  const seen = [await text(page, '#chapters h2')];
  while ((await page.locator('nav.chapter-nav a[rel=next]').count()) > 0) {
    await follow(page, page.locator('nav.chapter-nav a[rel=next]'), 'Next Chapter');
    check(new URL(page.url()).pathname.startsWith(`${workPath}/chapters/`), `Next leads to a chapter URL, not ${page.url()}`);
    check((await text(page, 'h1#work-title')) === title, 'a chapter page keeps the work title');
    const heading = await text(page, '#chapters h2');
    check(heading.startsWith(`Chapter ${seen.length + 1}`), `expected chapter ${seen.length + 1}, got "${heading}"`);
    seen.push(heading);
    pages.chapter ??= { url: page.url() };
    check(seen.length < 500, 'Next Chapter never ends');
  }
  check(seen.length >= 2, 'the multi-chapter example has at least two chapters');
  const chaptersStat = page.locator('dl.meta dl.stats div', { has: page.locator('dt', { hasText: 'Chapters:' }) });
  const chapterWord = (await chaptersStat.locator('dd').innerText()).trim();
  check(chapterWord.startsWith(`${seen.length}/`), `meta block says ${chapterWord} chapters, walked ${seen.length}`);
  while ((await page.locator('nav.chapter-nav a[rel=prev]').count()) > 0) {
    await follow(page, page.locator('nav.chapter-nav a[rel=prev]'), 'Previous Chapter');
    seen.pop();
    check((await text(page, '#chapters h2')).startsWith(`Chapter ${seen.length}`), `Previous leads back to chapter ${seen.length}`);
  }
  check(seen.length === 1, 'Previous walks back to chapter 1');

  await follow(page, page.locator('nav.chapter-nav a', { hasText: 'Entire Work' }), 'Entire Work');
  check(new URL(page.url()).searchParams.get('view_full_work') === 'true', 'Entire Work sets view_full_work=true');
  const all = await page.locator('#chapters section.chapter').count();
  check(all === Number(chapterWord.split('/')[0]), `the entire work shows all ${chapterWord} chapters, not ${all}`);
  pages.full = { url: page.url() };

  await follow(page, page.locator('nav.chapter-nav a', { hasText: 'Chapter Index' }), 'Chapter Index');
  check(new URL(page.url()).pathname === `${workPath}/navigate`, `Chapter Index leads to /navigate, not ${page.url()}`);
  check((await page.locator('ol.chapter.index li a').count()) === all, 'the chapter index lists every chapter');
  pages.navigate = { url: page.url() };

  await open(page, pages.work.url);
  await follow(page, page.locator('.byline a[rel=author]'), 'creator');
  check(/^\/users\/[^/]+$/.test(new URL(page.url()).pathname), `a creator link leads to /users/{login}, not ${page.url()}`);
  check((await page.locator('li.blurb').count()) > 0, 'a user page lists their works');
  pages.user = { url: page.url() };
  await close(page);
});

await scenario('a series page lists its works in order', async () => {
  const page = await newPage();
  // The imported example belongs to a series; fall back to the other examples.
  for (const target of Object.values(examples)) {
    if (!/^https?:/.test(target)) continue; // the logins of the accounts added for the walk
    const response = await page.goto(target);
    if (response.status() !== 200 || (await page.locator('dd.series a').count()) === 0) continue;
    await follow(page, page.locator('dd.series a'), 'series');
    break;
  }
  check(/^\/series\/\d+$/.test(new URL(page.url()).pathname), 'one of the example works links to its series');
  check((await page.locator('li.blurb').count()) > 0, 'the series page lists works');
  pages.series = { url: page.url() };
  await close(page);
});

await scenario('the adult interstitial hides the text until the reader continues, then remembers', async () => {
  const page = await newPage();
  const target = example('Explicit (behind the adult gate):');
  await open(page, target);
  check((await text(page, 'h1')) === 'Adult content', 'an Explicit work opens on the interstitial');
  check((await page.locator('#chapters').count()) === 0, 'the interstitial shows no chapter');
  check((await page.locator('.caution-meta').innerText()).includes('Explicit'), 'the interstitial names the rating');
  const gateHtml = await page.content();
  pages.adult = { url: page.url() };

  await follow(page, page.getByRole('link', { name: 'Yes, Continue' }), 'Yes, Continue');
  check(new URL(page.url()).searchParams.get('view_adult') === 'true', `Yes, Continue leads to ?view_adult=true, not ${page.url()}`);
  const body = page.locator('#chapters .userstuff p');
  check((await body.count()) > 0, 'after consent the work text is shown');
  const sentence = (await body.first().innerText()).trim();
  check(sentence.length > 10, 'the first paragraph has text');
  check(!gateHtml.includes(sentence), 'the interstitial did not already contain the work text');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'view_adult');
  check(cookie && cookie.value === 'true' && cookie.httpOnly && cookie.path === '/', 'consent sets view_adult=true (HttpOnly, Path=/)');
  pages.adultWork = { url: page.url() };

  await open(page, target);
  check((await page.locator('#chapters .userstuff').count()) > 0, 'a second visit without the parameter stays open (cookie)');
  check((await page.content()).includes(sentence), 'the second visit shows the same text');

  // "No, Go Back" leads home, and a new visitor meets the gate again.
  await close(page);
  const fresh = await newPage();
  await open(fresh, target);
  check((await text(fresh, 'h1')) === 'Adult content', 'a new visitor meets the interstitial again');
  await follow(fresh, fresh.getByRole('link', { name: 'No, Go Back' }), 'No, Go Back');
  check(fresh.url() === url('/'), `No, Go Back leads home, not ${fresh.url()}`);
  await close(fresh);
});

await scenario('a page embedding the consent link does not consent for the reader', async () => {
  const page = await newPage();
  const explicit = example('Explicit (behind the adult gate):');
  // An imported story whose HTML pointed images at the consent link: the importer dropped them.
  await open(page, example('Embeds the consent link:'));
  check((await text(page, 'h1#work-title')).includes('Borrowed Lantern'), 'the imported story opens');
  const sources = await page.locator('#chapters img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  check(sources.every((s) => s === null), `the story's images at the archive itself were dropped, not ${sources}`);
  // A page on the archive's own origin that embeds them anyway, as if one got through.
  const trap = url('/embeds-the-consent-link');
  await page.context().route(trap, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!DOCTYPE html><title>Trap</title><img src="/?view_adult=true" alt="">` +
      `<img src="${new URL(explicit).pathname}?view_adult=true" alt="">`,
  }));
  const asked = [];
  page.on('response', (r) => { if (r.url().includes('view_adult=true')) asked.push(r.url()); });
  await page.goto(trap, { waitUntil: 'load' });
  check(asked.length >= 2, `the browser fetched the embedded consent links (saw ${asked.length})`);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'view_adult');
  check(!cookie, 'an embedded image set no consent cookie');
  await open(page, explicit);
  check((await text(page, 'h1')) === 'Adult content', 'the Explicit work still shows the interstitial');
  await close(page);
});

await scenario('a restricted work is a 404 for a guest, with a way back', async () => {
  const page = await newPage();
  await open(page, example('Restricted (404 for guests):'), 404);
  const html = await page.content();
  check(!html.includes('id="chapters"'), 'the 404 page shows no work');
  check((await page.getByRole('link', { name: 'Go to the home page' }).count()) === 1, 'the 404 page links home');
  pages.notFound = { url: page.url(), status: 404 };
  await open(page, url('/works/abc'), 400);
  pages.badRequest = { url: page.url(), status: 400 };
  await close(page);
});

await scenario('a reader signs up, logs in, reads a restricted work and logs out', async () => {
  const page = await newPage();
  const restricted = example('Restricted (404 for guests):');
  const login = `reader${Date.now() % 1_000_000}`;
  const password = 'lanterns of hollowmere';
  await open(page, base);
  await follow(page, page.locator('header.site nav.account a', { hasText: 'Sign Up' }), 'Sign Up');
  pages.signup = { url: page.url() };
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('E-mail').fill(`${login}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Create Account' }).click()]);
  const greeting = await text(page, 'header.site nav.account'); check(greeting.includes(`Hi, ${login}!`), `the header greets the new member (at ${page.url()}: ${greeting})`);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'quire_session');
  check(session && session.httpOnly && session.sameSite === 'Lax', 'the session cookie is HttpOnly and SameSite=Lax');

  await open(page, restricted);
  check((await page.locator('#chapters').count()) === 1, 'a member reads the restricted work');

  await follow(page, page.locator('nav.work-actions a', { hasText: /^Bookmark$/ }), 'Bookmark');
  await axe(page, 'bookmark form');
  await screenshot(page, 'bookmark-form');
  await page.getByLabel('Notes').fill('<p>Worth <em>every</em> lamp.</p>');
  await page.getByLabel('Your tags').fill('reread, lanterns');
  await page.getByLabel('Rec (recommend this work)').check();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Create bookmark' }).click()]);
  check(new URL(page.url()).pathname === `/users/${login}/bookmarks`, `saving a bookmark leads to the reader's bookmarks, not ${page.url()}`);
  check((await text(page, 'main .bookmark blockquote.notes')).includes('Worth every lamp.'), 'the bookmark shows its notes');
  await axe(page, 'bookmarks');
  await screenshot(page, 'bookmarks');

  for (const [path, name] of [[`/users/${login}/edit`, 'settings'], [`/users/${login}/preferences`, 'preferences'], [`/users/${login}/pseuds`, 'pseuds'], [`/users/${login}/pseuds/new`, 'pseud-form'], [`/users/${login}/profile`, 'profile'], [`/users/${login}/profile/edit`, 'profile-form'], [`/users/${login}/creatorships`, 'co-creator-requests']]) {
    await open(page, url(path));
    await axe(page, name);
    await screenshot(page, name);
  }

  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Log Out' }).click()]);
  check((await page.locator('header.site nav.account a', { hasText: 'Log In' }).count()) === 1, 'after logging out the header offers Log In');
  await open(page, restricted, 404);

  await follow(page, page.locator('header.site nav.account a', { hasText: 'Log In' }), 'Log In');
  pages.login = { url: page.url() };
  await page.getByLabel('User name or e-mail').fill(login);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Log In' }).click()]);
  await open(page, restricted);
  check((await page.locator('#chapters').count()) === 1, 'logged in again, the member reads the restricted work');
  await close(page);
});

await scenario('the skip link is the first stop and reaches the content', async () => {
  const page = await newPage();
  await open(page, pages.work?.url ?? base);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({
    text: document.activeElement.textContent.trim(),
    left: document.activeElement.getBoundingClientRect().left,
  }));
  check(focused.text === 'Skip to content', `Tab first focuses the skip link, not "${focused.text}"`);
  check(focused.left >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  check(await page.evaluate(() => document.activeElement.id === 'main'), 'the skip link moves focus to main');
  await close(page);
});

await scenario('the fandom directory leads to a fandom', async () => {
  const page = await newPage();
  await open(page, base);
  await follow(page, page.locator('header.site nav a', { hasText: 'Fandoms' }), 'Fandoms navigation link');
  check(new URL(page.url()).pathname === '/fandoms', `the Fandoms link leads to /fandoms, not ${page.url()}`);
  check((await text(page, 'h1')) === 'Fandoms', 'the directory is headed "Fandoms"');
  pages.fandoms = { url: page.url() };
  const first = page.locator('main a.tag').first();
  const name = (await first.innerText()).trim();
  await follow(page, first, 'fandom in the directory');
  check((await text(page, 'h1')).includes(name), `the directory's link leads to the ${name} page`);
  await close(page);
});

await scenario('the filter sidebar and the search page find works', async () => {
  const page = await newPage();
  await open(page, url('/works'));
  check((await page.locator('li.blurb').count()) > 0, '/works lists works');
  pages.works = { url: page.url() };
  const box = page.locator('aside.filters input[name="fandom"]').first();
  const name = await box.getAttribute('value');
  await box.check();
  await Promise.all([page.waitForNavigation(), page.click('aside.filters button[type=submit]')]);
  check(new URL(page.url()).searchParams.get('fandom') === name, `the sidebar filters by ${name}, not ${page.url()}`);
  check(
    (await page.locator('li.blurb .fandoms').allInnerTexts()).every((t) => t.includes(name)),
    `every work the sidebar lists is in ${name}`,
  );
  const title = (await page.locator('li.blurb h3.heading a:not([rel])').first().innerText()).trim();
  const word = title.split(/\s+/).sort((a, b) => b.length - a.length)[0];

  await open(page, url('/works/search'));
  check((await text(page, 'h1')) === 'Search works', 'the search page is headed "Search works"');
  pages.search = { url: page.url() };
  await page.fill('#s-q', word);
  await Promise.all([page.waitForNavigation(), page.click('form.search button[type=submit]')]);
  check((await text(page, '#results-heading')).endsWith('Found'), 'the search says how many works it found');
  check(
    (await page.locator('li.blurb h3.heading a:not([rel])').allInnerTexts()).some((t) => t.includes(word)),
    `a search for "${word}" finds "${title}"`,
  );
  pages.searchResults = { url: page.url() };

  pages.tagInfo = { url: pages.tag.url.replace(/\/works$/, '') };
  await open(page, pages.tagInfo.url);
  check((await page.locator('main a[href$="/works"]').count()) > 0, 'the tag page links to its works');
  await close(page);
});

await scenario('a wrangler previews a change from a tag\'s edit page; a guest gets the 403 page', async () => {
  const page = await newPage();
  check(pages.tagInfo, 'no tag page was reached by the walk above');
  pages.wranglersOnly = { url: url('/wrangling'), status: 403 };
  await open(page, pages.wranglersOnly.url, 403);
  check((await page.locator('main a[href="/users/login"]').count()) === 1, 'the 403 page offers to log in');
  await open(page, pages.tagInfo.url);
  check((await page.locator('main a', { hasText: 'Edit tag' }).count()) === 0, 'a guest sees no Edit tag link');

  await open(page, url('/users/login'));
  await page.getByLabel('User name or e-mail').fill(example('Wrangler login:'));
  await page.getByLabel('Password').fill('lanterns of hollowmere');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Log In' }).click()]);
  await open(page, url('/wrangling/relationship'));
  check((await text(page, 'h1')).startsWith('Unwrangled tags'), 'the bin is headed "Unwrangled tags"');
  await axe(page, 'wrangling bin');
  await screenshot(page, 'wrangling-bin');

  await open(page, pages.tagInfo.url);
  await follow(page, page.locator('main a', { hasText: 'Edit tag' }), 'Edit tag');
  check((await text(page, 'h1')).startsWith('Edit tag:'), `the Edit tag link leads to the edit page, not ${page.url()}`);
  const edit = page.url();
  await axe(page, 'tag edit');
  await screenshot(page, 'tag-edit');
  await page.getByLabel('New name (its works keep it)').fill('Renamed By The Browser Walk');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Rename' }).click()]);
  check((await text(page, 'main')).includes('Nothing has changed yet.'), 'a change is previewed first');
  await axe(page, 'wrangle preview');
  await screenshot(page, 'wrangle-preview');
  await follow(page, page.locator('main a', { hasText: 'Cancel' }), 'Cancel');
  check(page.url() === edit, `Cancel leads back to the edit page, not ${page.url()}`);
  await close(page);
});

await scenario('a member posts a work with two chapters and sees it listed; another leaves kudos and a comment', async () => {
  const page = await newPage();
  const login = `poster${Date.now() % 1_000_000}`;
  const password = 'lanterns of hollowmere';
  await open(page, url('/users/new'));
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('E-mail').fill(`${login}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Create Account' }).click()]);

  await follow(page, page.locator('header.site nav.account a', { hasText: 'Post New Work' }), 'Post New Work');
  const title = `Lamplighter ${login}`;
  await page.getByLabel('Rating').selectOption('General Audiences');
  await page.getByLabel('No Archive Warnings Apply').check();
  await page.getByLabel('Fandoms').fill('Lanterns of Hollowmere');
  await page.getByLabel('Additional Tags').fill('Slow Burn, Lamps');
  await page.getByLabel('Work Title').fill(title);
  await page.getByLabel('Text format').selectOption('markdown');
  await page.getByLabel('Summary').fill('The lamps go *out*.');
  await page.getByLabel('Work Text', { exact: true }).fill('The lamps went out one by one.\n\nThen the *dark*.');
  await page.getByLabel('Gift this work to').fill('A Friend');
  await page.getByLabel('Or add it to a new series titled').fill(`Lamps of ${login}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Preview' }).click()]);
  check((await page.locator('.preview em', { hasText: 'dark' }).count()) === 1, 'the preview shows the Markdown rendered');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await axe(page, `new work preview (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'new-work-preview');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Post', exact: true }).click()]);
  check(/\/works\/\d+$/.test(page.url()), `posting leads to the work (at ${page.url()})`);
  const work = page.url();
  check((await text(page, 'h1.title')) === title, 'the posted work shows its title');

  await follow(page, page.locator('nav.owner a', { hasText: 'Add Chapter' }), 'Add Chapter');
  await page.getByLabel('Chapter Title').fill('Dawn');
  await page.getByLabel('Text format').selectOption('plain');
  await page.getByLabel('Chapter Text').fill('The sun came up.');
  await axe(page, 'new chapter');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Post', exact: true }).click()]);
  check((await page.locator('#chapters').innerText()).includes('The sun came up.'), 'the second chapter is posted');

  await open(page, `${work}/edit`);
  check((await page.locator('table.chapters tbody tr').count()) === 2, 'the edit page lists both chapters');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await axe(page, `edit work (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'edit-work');
  await open(page, work);
  check((await text(page, 'p.associations')).includes('A Friend'), 'the work shows who it is for');
  const series = await page.locator('dd.series a').first().getAttribute('href');
  for (const [path, name] of [[`${series}/edit`, 'series edit'], [`/users/${login}/series`, 'user series'], [`/users/${login}/gifts`, 'gifts']]) {
    await open(page, url(path));
    await axe(page, name);
  }

  const guest = await newPage({ width: 390, height: 844, mobile: true });
  await open(guest, base);
  check((await guest.locator('a', { hasText: title }).count()) >= 1, 'guests see the new work listed on the home page');
  await open(guest, `${work}?view_full_work=true`);
  const whole = await guest.locator('#chapters').innerText();
  check(whole.includes('Then the dark.') && whole.includes('The sun came up.'), 'guests read both chapters');
  await close(guest);

  // Another member leaves a comment on the work; its creator sees it with the moderation forms.
  const other = await newPage();
  const commenter = `commenter${Date.now() % 1_000_000}`;
  await open(other, url('/users/new'));
  await other.getByLabel('User name').fill(commenter);
  await other.getByLabel('E-mail').fill(`${commenter}@example.org`);
  await other.getByLabel('Password', { exact: true }).fill(password);
  await other.getByLabel('Confirm password').fill(password);
  await Promise.all([other.waitForNavigation({ waitUntil: 'load' }), other.getByRole('button', { name: 'Create Account' }).click()]);
  await open(other, work);
  // Kudos first: the thank-you page, then the work names the reader among those who left kudos.
  await Promise.all([other.waitForNavigation({ waitUntil: 'load' }), other.getByRole('button', { name: 'Kudos ♥' }).click()]);
  check((await text(other, 'h1')) === 'Kudos left', `Kudos leads to the thank-you page, not "${await text(other, 'h1')}"`);
  check((await text(other, 'main .notice')) === 'Thank you for leaving kudos!', 'the thank-you page thanks the reader');
  await axe(other, 'kudos left');
  await screenshot(other, 'kudos-left');
  await follow(other, other.locator('main a', { hasText: `Back to ${title}` }), 'Back to the work');
  check((await text(other, '#kudos .kudos-list')) === `${commenter} left kudos on this work!`, 'the work lists the reader\'s kudos');
  check((await other.getByRole('button', { name: 'Kudos ♥' }).count()) === 0, 'no second Kudos button once kudos are left');
  check((await text(other, '#kudos')).includes('You left kudos on this work.'), 'the work says the reader left kudos');
  await axe(other, 'work with kudos');
  await other.getByLabel('Comment', { exact: true }).fill('Lovely lamps.\n\nTruly <em>lovely</em>. <script>alert(1)</script>');
  await Promise.all([other.waitForNavigation({ waitUntil: 'load' }), other.getByRole('button', { name: 'Comment', exact: true }).click()]);
  check(/#comment-\d+$/.test(other.url()), `commenting leads to the comment (at ${other.url()})`);
  const shown = other.locator('#comments .comment blockquote', { hasText: 'Lovely lamps.' });
  check((await shown.count()) === 1, 'the comment is shown on the work');
  check((await other.locator('#comments .comment em', { hasText: 'lovely' }).count()) === 1, 'the comment keeps its allowed HTML');
  check((await other.locator('#comments script').count()) === 0, 'the comment carries no script');
  for (const scheme of ['light', 'dark']) {
    await other.emulateMedia({ colorScheme: scheme });
    await axe(other, `work with a comment (${scheme})`);
  }
  await other.emulateMedia({ colorScheme: 'light' });
  await screenshot(other, 'work-comment');
  await close(other);

  await open(page, work);
  check((await page.getByRole('button', { name: /^Freeze thread of / }).count()) === 1, 'the creator may freeze the thread');
  await axe(page, 'work with a comment, its creator');
  const phone = await newPage({ width: 390, height: 844, mobile: true });
  await open(phone, work);
  check((await phone.locator('#comments .comment', { hasText: 'Lovely lamps.' }).count()) === 1, 'guests see the comment');
  await fitsWidth(phone);
  await axe(phone, 'work with a comment (phone)');
  await close(phone);
  await close(page);
});

await scenario('a reader subscribes to a work and finds its new chapter in the inbox', async () => {
  const password = 'lanterns of hollowmere';
  const signUp = async (page, login) => {
    await open(page, url('/users/new'));
    await page.getByLabel('User name').fill(login);
    await page.getByLabel('E-mail').fill(`${login}@example.org`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Create Account' }).click()]);
  };
  const stamp = Date.now() % 1_000_000;
  const author = await newPage();
  await signUp(author, `author${stamp}`);
  await follow(author, author.locator('header.site nav.account a', { hasText: 'Post New Work' }), 'Post New Work');
  const title = `Night Ferry ${stamp}`;
  await author.getByLabel('Rating').selectOption('General Audiences');
  await author.getByLabel('No Archive Warnings Apply').check();
  await author.getByLabel('Fandoms').fill('Lanterns of Hollowmere');
  await author.getByLabel('Work Title').fill(title);
  await author.getByLabel('Text format').selectOption('plain');
  await author.getByLabel('Work Text', { exact: true }).fill('The ferry left at midnight.');
  await Promise.all([author.waitForNavigation({ waitUntil: 'load' }), author.getByRole('button', { name: 'Post', exact: true }).click()]);
  const work = author.url();
  check(/\/works\/\d+$/.test(work), `posting leads to the work (at ${work})`);

  const login = `follower${stamp}`;
  const reader = await newPage();
  await signUp(reader, login);
  await open(reader, work);
  await Promise.all([reader.waitForNavigation({ waitUntil: 'load' }), reader.getByRole('button', { name: 'Subscribe', exact: true }).click()]);
  check(reader.url() === work, `subscribing returns to the work (at ${reader.url()})`);
  check((await reader.getByRole('button', { name: 'Unsubscribe', exact: true }).count()) === 1, 'the work page offers Unsubscribe once subscribed');
  await Promise.all([reader.waitForNavigation({ waitUntil: 'load' }), reader.getByRole('button', { name: 'Mark for Later' }).click()]);
  check((await reader.getByRole('button', { name: 'Mark as Read' }).count()) === 1, 'the work page offers Mark as Read once marked for later');
  await axe(reader, 'work with following buttons');

  await open(author, `${work}/chapters/new`);
  await author.getByLabel('Chapter Title').fill('Landfall');
  await author.getByLabel('Text format').selectOption('plain');
  await author.getByLabel('Chapter Text').fill('The ferry reached the far shore.');
  await Promise.all([author.waitForNavigation({ waitUntil: 'load' }), author.getByRole('button', { name: 'Post', exact: true }).click()]);
  await close(author);

  await open(reader, base);
  const header = await text(reader, 'header.site nav.account');
  check(header.includes('(1 unread)'), `the header counts the unread update (${header})`);
  await follow(reader, reader.locator('header.site nav.account a', { hasText: 'Inbox' }), 'Inbox');
  const entry = await text(reader, 'main ol.inbox li');
  check(entry.includes(`Chapter 2 of ${title}`) && entry.includes('was posted'), `the inbox tells of the new chapter (${entry})`);
  for (const scheme of ['light', 'dark']) {
    await reader.emulateMedia({ colorScheme: scheme });
    await axe(reader, `inbox (${scheme})`);
  }
  await reader.emulateMedia({ colorScheme: 'light' });
  await screenshot(reader, 'inbox');
  const inbox = reader.url();
  await follow(reader, reader.locator('main ol.inbox a', { hasText: title }), 'the inbox entry');
  check((await reader.locator('#chapters').innerText()).includes('The ferry reached the far shore.'), 'the entry leads to the new chapter');
  await open(reader, inbox);
  await Promise.all([reader.waitForNavigation({ waitUntil: 'load' }), reader.getByRole('button', { name: 'Mark All Read' }).click()]);
  check(!(await text(reader, 'header.site nav.account')).includes('unread'), 'marked read, the header counts nothing');

  for (const [path, name] of [[`/users/${login}/subscriptions`, 'subscriptions'], [`/users/${login}/readings`, 'history'], [`/users/${login}/readings?show=to-read`, 'marked-for-later']]) {
    await open(reader, url(path));
    check((await reader.locator('main', { hasText: title }).count()) === 1, `${name} lists the work`);
    for (const scheme of ['light', 'dark']) {
      await reader.emulateMedia({ colorScheme: scheme });
      await axe(reader, `${name} (${scheme})`);
    }
    await reader.emulateMedia({ colorScheme: 'light' });
    await screenshot(reader, name);
  }
  await close(reader);

  // Phone width: the new pages fit.
  const phone = await newPage({ width: 390, height: 844, mobile: true });
  await signUp(phone, `phone${stamp}`);
  await open(phone, work);
  await Promise.all([phone.waitForNavigation({ waitUntil: 'load' }), phone.getByRole('button', { name: 'Subscribe', exact: true }).click()]);
  for (const path of [`/users/phone${stamp}/inbox`, `/users/phone${stamp}/subscriptions`, `/users/phone${stamp}/readings`]) {
    await open(phone, url(path));
    await fitsWidth(phone);
    await axe(phone, `${path} (phone)`);
  }
  await close(phone);
});

await scenario('a guest opens the report form from a work; an admin opens the admin area', async () => {
  check(pages.work, 'no work page was reached by the walk above');
  for (const scheme of ['light', 'dark']) {
    const page = await newPage({ scheme });
    await open(page, pages.work.url);
    await follow(page, page.locator('main a', { hasText: 'Report' }), 'Report');
    check((await text(page, 'h1')) === 'Report abuse', `the Report link leads to the report form, not ${page.url()}`);
    await screenshot(page, scheme === 'light' ? 'report-form' : 'report-form-dark');
    await axe(page, `report form (${scheme})`);
    await close(page);
  }
  const phone = await newPage({ width: 390, height: 844, mobile: true });
  await open(phone, url('/abuse_reports/new?url=/works/1'));
  await fitsWidth(phone);
  await axe(phone, 'report form (phone)');
  await close(phone);

  for (const [scheme, options] of [['light', {}], ['dark', { scheme: 'dark' }], ['phone', { width: 390, height: 844, mobile: true }]]) {
    const page = await newPage(options);
    await open(page, url('/admin'), 403);
    await open(page, url('/users/login'));
    await page.getByLabel('User name or e-mail').fill(example('Admin login:'));
    await page.getByLabel('Password').fill('lanterns of hollowmere');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Log In' }).click()]);
    await open(page, url('/admin'));
    check((await text(page, 'h1')) === 'Admin area', 'the admin area is headed "Admin area"');
    await screenshot(page, `admin-${scheme}`);
    if (scheme === 'phone') await fitsWidth(page);
    await axe(page, `admin area (${scheme})`);
    await open(page, url('/admin/claims'));
    await axe(page, `claims queue (${scheme})`);
    await open(page, url('/admin/invitations'));
    if (scheme === 'phone') await fitsWidth(page);
    await axe(page, `admin invitations (${scheme})`);
    await close(page);
  }
});

// ---------------------------------------------------------------------------------------------
// Every page type: axe in the light and the dark scheme, a screenshot of each.

const types = [
  ['home', 'home'], ['tag', 'tag'], ['work', 'work'], ['chapter', 'chapter'], ['full', 'full-work'],
  ['navigate', 'navigate'], ['adult', 'adult-gate'], ['adultWork', 'adult-work'], ['user', 'user'],
  ['series', 'series'], ['fandoms', 'fandoms'], ['notFound', '404'], ['badRequest', '400'],
  ['works', 'works'], ['search', 'search'], ['searchResults', 'search-results'], ['tagInfo', 'tag-info'],
  ['login', 'login'], ['signup', 'signup'], ['wranglersOnly', 'wranglers-only'],
];
for (const scheme of ['light', 'dark']) {
  for (const [key, name] of types) {
    await scenario(`axe and screenshot: ${name} (${scheme})`, async () => {
      check(pages[key], `no ${name} page was reached by the walk above`);
      const page = await newPage({ scheme });
      await open(page, pages[key].url, pages[key].status ?? 200);
      await screenshot(page, scheme === 'light' ? name : `${name}-dark`);
      await axe(page, `${name} (${scheme})`);
      await close(page);
    });
  }
}

for (const [key, name] of [['home', 'home'], ['work', 'work'], ['chapter', 'chapter'], ['adult', 'adult-gate'], ['tag', 'tag']]) {
  await scenario(`phone width: ${name}`, async () => {
    check(pages[key], `no ${name} page was reached by the walk above`);
    const page = await newPage({ width: 390, height: 844, mobile: true });
    await open(page, pages[key].url);
    await screenshot(page, `${name}-phone`);
    await fitsWidth(page);
    await axe(page, `${name} (phone)`);
    await close(page);
  });
}

await browser.close();

for (const w of warnings) console.log(`note ${w}`);
console.log(`\nscreenshots: ${SHOTS}`);
if (failures.length) {
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log('all browser checks passed');
