import type { Bundle } from '@shlkit/core';
import { useMemo } from 'preact/hooks';
import { useMessages } from '../i18n/select-messages.js';
import { bundleModel } from './bundle-model.js';
import { Sections, UnlistedSection } from './document-parts.js';
import { PatientBanner } from './patient-banner.js';

/**
 * A Bundle with no IPS structure (a `$summary` answered as a `searchset`, a `collection`): the patient
 * banner, one line that says why there are no document sections, then the entries grouped as an IPS would
 * group them, with the same tables.
 */
export const BundleView = ({ bundle }: { bundle: Bundle }) => {
  const t = useMessages();
  const model = useMemo(() => bundleModel(bundle, t), [bundle, t]);
  return (
    <div class="ips bundle-view">
      {model.patients.length === 0 && <h1 tabIndex={-1}>{t.document.fhirResource('Bundle')}</h1>}
      {model.patients.map((patient, index) => (
        <PatientBanner key={index} patient={patient} level={index === 0 ? 1 : 2} />
      ))}
      <p class="no-ips-structure" data-testid="no-ips-structure">
        {t.ips.noIpsStructure(model.type)}
      </p>
      {model.date && (
        <div class="document-meta">
          <dl>
            <div>
              <dt>{t.ips.date}</dt>
              <dd data-testid="document-date">{model.date}</dd>
            </div>
          </dl>
        </div>
      )}
      <Sections sections={model.sections} />
      <UnlistedSection resources={model.unlisted} resolve={model.resolve} />
    </div>
  );
};
