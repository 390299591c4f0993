// Starts the console: the language toggle, the credentials form (prefilled in demo mode), the
// navigation and the hash router (routes.js: a table from route to page module). Hash routes need
// nothing from the server.
import { bindCredentialsForm, prefillDemoSession } from './credentials.js';
import { lang, setLang, t, translateStatic } from './i18n.js';
import { NAV, resolveRoute } from './routes.js';
import { onSessionChange, refreshSession, renderWhoami } from './session.js';
import { h } from './dom.js';

const main = document.getElementById('main');
const nav = document.getElementById('main-nav');
const toggle = document.getElementById('lang-toggle');
let page = null;
let current = null;
let routed = false;

function renderToggle() {
  toggle.textContent = t('switchLanguage');
  toggle.setAttribute('aria-label', t('switchLanguageLabel'));
  // The button names the other language, in that language.
  toggle.lang = lang() === 'en' ? 'zh-CN' : 'en';
}

function renderNav() {
  nav.replaceChildren(
    ...NAV.map((item) =>
      h(
        'a',
        {
          href: item.href,
          id: `nav-${item.key}`,
          'aria-current': current?.route.nav === item.key ? 'page' : null,
        },
        t(item.label),
      ),
    ),
  );
}

/** The demo-mode note names the demo user in the current language. */
function renderDemoNote() {
  const note = document.getElementById('demo-note');
  if (!note.hidden) note.textContent = t('demoSession', { name: note.dataset.user ?? '' });
}

function route() {
  page?.dispose();
  current = resolveRoute(location.hash);
  page = current.route.page(main, ...current.params);
  renderNav();
  // After navigation, move focus to the new page's heading region so keyboard and screen reader users
  // start at the top of what changed (not on the first load, which starts at the skip link).
  if (routed) main.focus({ preventScroll: false });
  routed = true;
}

toggle.addEventListener('click', () => {
  setLang(lang() === 'en' ? 'zh-CN' : 'en');
  translateStatic();
  renderToggle();
  renderNav();
  renderWhoami();
  renderDemoNote();
  page?.rerender();
});

// Before the first page asks the API for anything: in demo mode the key arrives from the API itself.
const demoUser = await prefillDemoSession();
const demoNote = document.getElementById('demo-note');
if (demoUser !== null) {
  demoNote.hidden = false;
  demoNote.dataset.user = demoUser;
}
bindCredentialsForm(document.getElementById('credentials'), () => void refreshSession());
// Who the user is decides which controls a page shows: re-render when that becomes known or changes.
onSessionChange(() => page?.rerender());
translateStatic();
renderDemoNote();
renderToggle();
window.addEventListener('hashchange', route);
route();
void refreshSession();
