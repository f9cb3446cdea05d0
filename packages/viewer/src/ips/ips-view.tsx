import type { Bundle } from '@shlkit/core';
import { useMemo } from 'preact/hooks';
import { useMessages } from '../i18n/select-messages.js';
import { documentModel } from './document-model.js';
import { Sections, UnlistedSection } from './document-parts.js';
import { PatientBanner } from './patient-banner.js';

/** An International Patient Summary: banner, author and date, contents, every section, then the rest. */
export const IpsView = ({ bundle }: { bundle: Bundle }) => {
  const t = useMessages();
  const model = useMemo(() => documentModel(bundle, t), [bundle, t]);
  return (
    <div class="ips">
      <PatientBanner patient={model.patient} />
      <div class="document-meta">
        <p class="document-title">{model.title}</p>
        <dl>
          {model.date && (
            <div>
              <dt>{t.ips.date}</dt>
              <dd data-testid="document-date">{model.date}</dd>
            </div>
          )}
          {model.authors && (
            <div>
              <dt>{t.ips.author}</dt>
              <dd data-testid="document-author">{model.authors}</dd>
            </div>
          )}
          {model.custodian && (
            <div>
              <dt>{t.ips.custodian}</dt>
              <dd>{model.custodian}</dd>
            </div>
          )}
        </dl>
      </div>
      <Sections sections={model.sections} />
      <UnlistedSection resources={model.unlisted} resolve={model.resolve} />
    </div>
  );
};
