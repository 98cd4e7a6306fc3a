'use strict';
/* screenshot.js - remakes tests/browser/screenshot.png, the README's picture
 * of the web chat (kept under 60 KB): the real binary answering "what are our
 * values?" at 520 x 578.  NODE_PATH=build/browser-deps/node_modules
 * VALUESBOT_BIN=build/valuesbot node tests/browser/screenshot.js */
const path = require('node:path');
const lib = require('./lib');

(async () => {
    const bot = new lib.Bot({});
    await bot.start();
    const browser = await lib.launch();
    try {
        const page = await lib.newPage(browser, { width: 520, height: 578 });
        await page.goto(bot.origin + '/chat/tewv');
        await page.waitForSelector('#vb-chips .vb-chip');
        await lib.ask(page, 'what are our values?');
        await page.evaluate(() => document.activeElement.blur());
        await page.screenshot({ path: path.join(__dirname, 'screenshot.png') });
    } finally {
        await browser.close();
        await bot.cleanup();
    }
})();
