import DOMPurify from 'dompurify';
import { useMemo } from 'preact/hooks';

let configured = false;

/**
 * Narrative XHTML comes from the document's author: untrusted. DOMPurify removes scripts, handlers and
 * anything executable; on top of that we drop what would reach outside the page (remote images, CSS) or
 * touch `location.hash` (in-page `#` links would replace the SHL link in the address bar).
 */
const sanitizer = () => {
  if (!configured) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.hasAttribute('src') && !/^data:image\//i.test(node.getAttribute('src') ?? '')) {
        node.removeAttribute('src');
      }
      const href = node.getAttribute('href');
      if (href !== null) {
        if (href.startsWith('#') || !/^https?:/i.test(href)) node.removeAttribute('href');
        else {
          node.setAttribute('rel', 'noopener noreferrer');
          node.setAttribute('target', '_blank');
        }
      }
    });
    configured = true;
  }
  return DOMPurify;
};

export const sanitizeNarrative = (xhtml: string): string =>
  sanitizer().sanitize(xhtml, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'id', 'name', 'srcset'],
  });

export const Narrative = ({ xhtml }: { xhtml: string }) => {
  const html = useMemo(() => sanitizeNarrative(xhtml), [xhtml]);
  return <div class="narrative" dangerouslySetInnerHTML={{ __html: html }} />;
};
