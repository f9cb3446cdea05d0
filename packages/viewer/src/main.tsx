import { render } from 'preact';
import { App } from './app/app.js';
import { MessagesContext, selectMessages } from './i18n/select-messages.js';
import { createRecipientStore } from './link/recipient-store.js';
import { registerServiceWorker } from './sw/register-service-worker.js';
import './styles/viewer.css';
import './styles/print.css';

// The only place that reads the browser's environment: language, storage, location, fetch, clock.
const messages = selectMessages(navigator.languages?.length ? navigator.languages : [navigator.language]);
document.documentElement.lang = messages.lang;
document.title = messages.appTitle;

const root = document.getElementById('app');
if (root) {
  render(
    <MessagesContext.Provider value={messages}>
      <App
        initialHash={window.location.hash}
        recipients={createRecipientStore(window.localStorage)}
        fetch={(input, init) => window.fetch(input, init)}
        now={() => Date.now()}
        webCrypto={typeof window.crypto?.subtle?.decrypt === 'function'}
      />
    </MessagesContext.Provider>,
    root,
  );
}
registerServiceWorker(navigator, import.meta.env.BASE_URL);
