'use strict';
/* widget.test.js - widget.js on an intranet page served from another port:
 * the launcher opens the chat in a panel, keyboard only, and axe-core finds
 * nothing serious in the host page or in the panel, light and dark. */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

let browser, bot, host;

before(async () => {
    bot = new lib.Bot();
    /* The host page's origin is known only once it listens: start it first. */
    host = await lib.hostPage('tewv');
    bot.opts.frameOrigins = [host.origin];
    await bot.start();
    host.setBot(bot.origin);
    browser = await lib.launch();
});

after(async () => {
    if (browser) await browser.close();
    if (host) await host.close();
    if (bot) await bot.cleanup();
});

async function chatFrame(page) {
    const handle = await page.waitForSelector('iframe');
    const frame = await handle.contentFrame();
    await frame.waitForSelector('#vb-chips .vb-chip');
    return frame;
}

function focused(page) {
    return page.evaluate(() => {
        const a = document.activeElement;
        return { tag: a.tagName, text: a.textContent, expanded: a.getAttribute('aria-expanded') };
    });
}

test('keyboard only: Tab to the launcher, Enter opens the panel with focus in the chat, Escape closes it', async () => {
    const page = await lib.newPage(browser);
    await page.goto(host.url, { waitUntil: 'load' });
    const launcher = await page.waitForSelector('button[aria-controls^="valuesbot-panel"]');
    assert.equal(await launcher.evaluate((b) => b.getAttribute('aria-expanded')), 'false');
    /* Tab from the top of the page: the link, then the launcher. */
    let f;
    for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab');
        f = await focused(page);
        if (f.expanded !== null) break;
    }
    assert.equal(f.expanded, 'false', `focus on ${f.tag} ${f.text}`);
    await page.keyboard.press('Enter');
    assert.equal(await launcher.evaluate((b) => b.getAttribute('aria-expanded')), 'true');
    const frame = await chatFrame(page);
    /* Embed mode: no visible page header; focus in the question box. */
    const head = await frame.$eval('#vb-head', (h) => h.getBoundingClientRect().height);
    assert.ok(head <= 1, `header height ${head}`);
    await frame.waitForFunction(() => document.hasFocus() && document.activeElement.id === 'vb-q');
    const n = await lib.countAnswers(frame);
    await page.keyboard.type('what are our values?');
    await page.keyboard.press('Enter');
    assert.match(await lib.nextAnswer(frame, n), /Respect/);
    await page.screenshot({ path: lib.artifact('widget.png') });
    /* Escape inside the chat closes the panel and gives focus back to the launcher. */
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement.getAttribute('aria-expanded') === 'false');
    assert.equal(await page.$eval('[role=dialog]', (d) => getComputedStyle(d).display), 'none');
    /* Open again: the same conversation is still there. */
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.hasFocus() && document.activeElement.id === 'vb-q');
    assert.ok((await lib.countAnswers(frame)) > n);
    /* Shift+Tab out of the frame reaches the Close button; Enter on it closes. */
    await frame.$eval('#vb-log', (l) => l.focus());
    let onClose = false;
    for (let i = 0; i < 8 && !onClose; i++) {
        await page.keyboard.down('Shift');
        await page.keyboard.press('Tab');
        await page.keyboard.up('Shift');
        onClose = await page.evaluate(() => document.activeElement.getAttribute('aria-label') === 'Close chat');
    }
    assert.ok(onClose, 'Shift+Tab reaches the Close button');
    await page.keyboard.press('Enter');
    assert.deepEqual(await focused(page), { tag: 'BUTTON', text: 'Ask about our strategy', expanded: 'false' });
    /* Nothing went wrong on the host page or in the frame (both report to page.problems). */
    assert.deepEqual(page.problems, []);
    await page.close();
});

test('axe-core on the host page and in the open panel: no serious or critical violation, light and dark', async () => {
    for (const dark of [false, true]) {
        const page = await lib.newPage(browser, { dark, width: 1000, height: 760 });
        await page.goto(host.url, { waitUntil: 'load' });
        const launcher = await page.waitForSelector('button[aria-controls^="valuesbot-panel"]');
        await launcher.click();
        const frame = await chatFrame(page);
        await lib.ask(frame, 'what are our values?');
        const where = dark ? 'dark' : 'light';
        const outer = await lib.axeSerious(page);
        assert.deepEqual(outer, [], `host page, ${where}: ${JSON.stringify(outer, null, 1)}`);
        const inner = await lib.axeSerious(frame);
        assert.deepEqual(inner, [], `panel, ${where}: ${JSON.stringify(inner, null, 1)}`);
        await page.close();
    }
});

test('a phone\'s width: the panel fits the screen', async () => {
    const page = await lib.newPage(browser, { width: 320, height: 568 });
    await page.goto(host.url, { waitUntil: 'load' });
    const launcher = await page.waitForSelector('button[aria-controls^="valuesbot-panel"]');
    await launcher.click();
    const frame = await chatFrame(page);
    await lib.ask(frame, 'what are our values?');
    const r = await page.$eval('[role=dialog]', (d) => d.getBoundingClientRect().toJSON());
    assert.ok(r.left >= 0 && r.right <= 320 && r.top >= 0 && r.bottom <= 568, JSON.stringify(r));
    const scroll = await frame.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= r.width, `frame scrollWidth ${scroll}`);
    await page.close();
});

/* The browser makes an element with an id a window property: a host page's own
 * id="valuesbotWidget" must not look like a widget already there. */
test('a host page element named like the widget does not stop it loading', async () => {
    const page = await lib.newPage(browser);
    await page.goto(host.url + '?named', { waitUntil: 'load' });
    assert.ok(await page.$('div#valuesbotWidget'));
    const launcher = await page.waitForSelector('button[aria-controls^="valuesbot-panel"]',
        { timeout: 5000 });
    assert.ok(launcher);
    await page.close();
});
