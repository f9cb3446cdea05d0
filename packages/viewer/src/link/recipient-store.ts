const KEY = 'shlkit.viewer.recipient';

/** The recipient name is kept on the device (SHL asks for it on every request), nothing else is. */
export interface RecipientStore {
  load(): string;
  save(recipient: string): void;
}

export const createRecipientStore = (storage: Storage | undefined): RecipientStore => ({
  load: () => {
    try {
      return storage?.getItem(KEY) ?? '';
    } catch {
      // Storage can be disabled (private mode, policy): the form then starts empty.
      return '';
    }
  },
  save: (recipient) => {
    try {
      storage?.setItem(KEY, recipient);
    } catch {
      // Not remembered then; the link still opens.
    }
  },
});
