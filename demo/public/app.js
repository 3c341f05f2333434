// Progressive enhancements of the server-rendered pages: meters, the live token countdown,
// and noticing a session that ended or was refreshed in another tab.

const POLL_MS = 30_000;

function setFills() {
  for (const bar of document.querySelectorAll('[data-fill]')) {
    bar.style.setProperty('--fill', `${Math.min(100, Math.max(0, Number(bar.dataset.fill)))}%`);
  }
}

function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function startCountdown(box) {
  // Counted from the server's figure with a monotonic clock, so a wrong client clock does not matter.
  const startedAt = performance.now();
  const remaining = Number(box.dataset.expiresIn);
  const lifetime = Number(box.dataset.lifetime) || 1;
  const label = box.querySelector('[data-countdown]');
  const meter = box.querySelector('[data-meter]');
  let reloading = false;
  const tick = () => {
    const left = remaining - (performance.now() - startedAt) / 1000;
    label.textContent = left > 0 ? formatDuration(left) : 'refreshing…';
    meter.style.setProperty('--fill', `${Math.max(0, (left / lifetime) * 100)}%`);
    box.classList.toggle('soon', left < 120);
    // Loading the page again lets the server refresh the expired token.
    if (left <= 0 && !reloading) {
      reloading = true;
      window.location.reload();
    }
  };
  tick();
  setInterval(tick, 1000);
}

function watchSession(box) {
  setInterval(async () => {
    try {
      const response = await fetch('/auth/session', { headers: { accept: 'application/json' }, cache: 'no-store' });
      const session = await response.json();
      if (!session.authenticated) window.location.assign('/sign-in');
      else if (session.sessionId !== box.dataset.sessionId || session.expiresAt !== box.dataset.expiresAt) window.location.reload();
    } catch {
      // Offline for a moment: the next poll will tell.
    }
  }, POLL_MS);
}

function dropNoticeFromUrl() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('notice')) return;
  url.searchParams.delete('notice');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

setFills();
dropNoticeFromUrl();
const box = document.querySelector('[data-expires-in]');
if (box) {
  startCountdown(box);
  watchSession(box);
}
