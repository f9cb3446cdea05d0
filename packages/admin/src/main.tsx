import { render } from 'preact';
import { App } from './app/app.js';
import { createAdminApi } from './app/admin-api.js';
import './styles/admin.css';
import './styles/print.css';

// The only place that reads the browser's environment: location, history, fetch, clock, clipboard.
const root = document.getElementById('app');
if (root) {
  render(
    <App
      api={createAdminApi(window.location.origin, (input, init) =>
        // Same-origin only: the session cookie is http-only and SameSite=Strict.
        window.fetch(input, { ...init, credentials: 'same-origin' }),
      )}
      initialPath={window.location.pathname}
      now={() => Date.now()}
    />,
    root,
  );
}
