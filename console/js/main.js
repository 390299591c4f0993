// Starts the console: the language toggle, the credentials form, and the hash router
// (#/ → campaign list, #/campaigns/<id> → one campaign). Hash routes need nothing from the server.
import { bindCredentialsForm, prefillDemoSession } from './credentials.js';
import { lang, setLang, t, translateStatic } from './i18n.js';
import { campaignDetailPage } from './pages/campaign-detail.js';
import { campaignListPage } from './pages/campaign-list.js';

const main = document.getElementById('main');
const toggle = document.getElementById('lang-toggle');
let page = null;
let routed = false;

function renderToggle() {
  toggle.textContent = t('switchLanguage');
  toggle.setAttribute('aria-label', t('switchLanguageLabel'));
  // The button names the other language, in that language.
  toggle.lang = lang() === 'en' ? 'zh-CN' : 'en';
}

/** The demo-mode note names the demo user in the current language. */
function renderDemoNote() {
  const note = document.getElementById('demo-note');
  if (!note.hidden) note.textContent = t('demoSession', { name: note.dataset.user ?? '' });
}

function route() {
  page?.dispose();
  const match = /^#\/campaigns\/([^/?#]+)/.exec(location.hash);
  page = match ? campaignDetailPage(main, decodeURIComponent(match[1])) : campaignListPage(main);
  // After navigation, move focus to the new page's heading region so keyboard and screen reader users
  // start at the top of what changed (not on the first load, which starts at the skip link).
  if (routed) main.focus({ preventScroll: false });
  routed = true;
}

toggle.addEventListener('click', () => {
  setLang(lang() === 'en' ? 'zh-CN' : 'en');
  translateStatic();
  renderToggle();
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
bindCredentialsForm(document.getElementById('credentials'));
translateStatic();
renderDemoNote();
renderToggle();
window.addEventListener('hashchange', route);
route();
