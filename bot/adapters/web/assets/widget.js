/* widget.js - the valuesbot chat on any intranet page (issue 18):
 *   <script src="https://bot.example/chat/widget.js" data-org="tewv" defer></script>
 * adds a launcher button that opens a panel with the chat page
 * (<script origin>/chat/<org>?embed=1) in an iframe.  Styles are set through
 * the CSSOM, so a strict style-src on the host page does not block them.
 * Optional: data-label (the button's text). */
(function () {
    'use strict';

    var script = document.currentScript;
    if (!script || !script.src || (window.valuesbotWidget && typeof window.valuesbotWidget.open === 'function')) return;
    var src = new URL(script.src);
    var origin = src.origin;
    var org = script.getAttribute('data-org') || '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(org)) org = '';
    var label = script.getAttribute('data-label') || 'Ask about our strategy';
    var chatUrl = new URL(org ? encodeURIComponent(org) : '../chat', new URL('.', src));
    chatUrl.searchParams.set('embed', '1');
    var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
    var n = 0;
    while (document.getElementById('valuesbot-panel' + (n || ''))) n++;
    var id = 'valuesbot-panel' + (n || '');

    function css(node, props) {
        Object.keys(props).forEach(function (k) { node.style[k] = props[k]; });
        return node;
    }

    function make(tag, props, text) {
        var node = css(document.createElement(tag), props || {});
        if (text != null) node.textContent = text;
        return node;
    }

    var font = '1rem/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    var launcher = make('button', {
        position: 'fixed', right: '1rem', bottom: '1rem', zIndex: '2147483646',
        font: font, fontWeight: '600', padding: '.625rem 1.125rem', minHeight: '2.75rem',
        borderRadius: '1.5rem', border: '2px solid #fff', background: '#005eb8', color: '#fff',
        cursor: 'pointer', boxShadow: '0 2px 6px rgba(0,0,0,.35)'
    }, label);
    launcher.type = 'button';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-controls', id);

    var panel = make('div', {
        position: 'fixed', right: '.5rem', bottom: '4.25rem', zIndex: '2147483647',
        width: 'min(26rem, calc(100vw - 1rem))', height: 'min(38rem, calc(100vh - 5rem))',
        display: 'none', flexDirection: 'column', borderRadius: '.75rem', overflow: 'hidden',
        boxShadow: '0 4px 18px rgba(0,0,0,.4)', font: font
    });
    panel.id = id;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', label);

    var bar = make('div', {
        display: 'flex', alignItems: 'center', justifyContent: 'space-between',
        gap: '.5rem', padding: '.375rem .5rem .375rem .875rem',
        background: '#005eb8', color: '#fff'
    });
    var title = make('span', { fontWeight: '600' }, label);
    var close = make('button', {
        font: font, minWidth: '2.75rem', minHeight: '2.75rem', padding: '0 .75rem',
        background: 'transparent', color: '#fff', border: '2px solid #fff',
        borderRadius: '.5rem', cursor: 'pointer'
    }, 'Close');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close chat');
    bar.appendChild(title);
    bar.appendChild(close);
    panel.appendChild(bar);
    var frame = null;
    var loaded = false;

    function paint() {
        var d = dark && dark.matches;
        panel.style.background = d ? '#121619' : '#fff';
        panel.style.border = '1px solid ' + (d ? '#5c6b75' : '#aeb7bd');
    }

    function focusRing(node) {
        node.addEventListener('focus', function () {
            css(node, { outline: '3px solid #ffbf47', outlineOffset: '2px', boxShadow: '0 0 0 6px #212b32' });
        });
        node.addEventListener('blur', function () {
            css(node, { outline: '', outlineOffset: '', boxShadow: node === launcher ? '0 2px 6px rgba(0,0,0,.35)' : '' });
        });
    }

    function isOpen() {
        return launcher.getAttribute('aria-expanded') === 'true';
    }

    function open() {
        if (!frame) {
            frame = make('iframe', { flex: '1', width: '100%', border: '0', background: 'transparent' });
            frame.title = label;
            frame.src = chatUrl.href;
            frame.addEventListener('load', function () {
                loaded = true;
                if (isOpen()) frame.contentWindow.postMessage({ valuesbot: 'focus' }, origin);
            });
            panel.appendChild(frame);
        }
        paint();
        panel.style.display = 'flex';
        launcher.setAttribute('aria-expanded', 'true');
        frame.focus();
        if (loaded) frame.contentWindow.postMessage({ valuesbot: 'focus' }, origin);
    }

    function hide() {
        if (!isOpen()) return;
        panel.style.display = 'none';
        launcher.setAttribute('aria-expanded', 'false');
        launcher.focus();
    }

    launcher.addEventListener('click', function () { if (isOpen()) hide(); else open(); });
    close.addEventListener('click', hide);
    panel.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape') { ev.preventDefault(); hide(); }
    });
    launcher.addEventListener('keydown', function (ev) {
        if (ev.key === 'Escape' && isOpen()) { ev.preventDefault(); hide(); }
    });
    window.addEventListener('message', function (ev) {
        if (frame && ev.source === frame.contentWindow && ev.origin === origin &&
            ev.data && ev.data.valuesbot === 'close') hide();
    });
    focusRing(launcher);
    focusRing(close);
    if (dark && dark.addEventListener) dark.addEventListener('change', paint);

    function mount() {
        document.body.appendChild(launcher);
        document.body.appendChild(panel);
    }
    window.valuesbotWidget = { open: open, close: hide };
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount);
})();
