/** The two HTML documents the server writes: the page shell (the app fills it) and the sign-in page. */
const head = (title: string) => `<!doctype html>
<html lang="cs"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/portal/assets/app.css"></head>`;

export function appShell(): string {
  return `${head('Přístupy k mé dokumentaci')}
<body><a class="skip" href="#main">Přeskočit na obsah</a><div id="app" aria-live="polite"><main id="main"><p>Načítám…</p></main></div>
<script src="/portal/assets/app.js" defer></script></body></html>`;
}

export function signInPage(message?: { cs: string; en: string }): string {
  return `${head('Přihlášení — Sign in')}
<body><main id="main" class="signin">
<h1>Kdo nahlížel do mé zdravotnické dokumentace</h1>
<p lang="en" class="en">Who looked at my health records</p>
${message ? `<p role="alert" class="notice">${message.cs}<br><span lang="en">${message.en}</span></p>` : ''}
<p><a class="button" href="/portal/login">Přihlásit se <span lang="en">/ Sign in</span></a></p>
</main></body></html>`;
}
