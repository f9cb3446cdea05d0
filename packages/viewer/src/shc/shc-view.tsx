import { type SmartHealthCardVerification, verifySmartHealthCard } from '@shlkit/client';
import type { Bundle } from '@shlkit/core';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDate } from '../fhir/format.js';
import { useMessages } from '../i18n/select-messages.js';
import { bundleModel } from '../ips/bundle-model.js';
import { PatientBanner } from '../ips/patient-banner.js';
import { SectionView } from '../ips/section-view.js';
import { ErrorMessage } from '../link/error-message.js';
import { GenericResource } from '../render/generic-view.js';
import { issuedAt } from './issued-at.js';

type CardState =
  | { kind: 'checking' }
  | { kind: 'done'; result: SmartHealthCardVerification }
  | { kind: 'unreadable'; detail: string };

/** Every card of a SMART Health Card file, each with its issuer and whether its signature verifies. */
export const ShcView = ({
  credentials,
  fetch,
}: {
  credentials: string[];
  fetch: typeof globalThis.fetch;
}) => {
  const t = useMessages();
  return (
    <div class="shc-file">
      <h1 tabIndex={-1}>{t.shc.heading}</h1>
      {credentials.map((jws, index) => (
        <ShcCard key={index} jws={jws} fetch={fetch} />
      ))}
    </div>
  );
};

const ShcCard = ({ jws, fetch }: { jws: string; fetch: typeof globalThis.fetch }) => {
  const t = useMessages();
  const [state, setState] = useState<CardState>({ kind: 'checking' });
  useEffect(() => {
    let live = true;
    // The issuer's JWKS is fetched from `<iss>/.well-known/jwks.json`: offline gives "could not verify".
    verifySmartHealthCard(jws, { fetch }).then(
      (result) => live && setState({ kind: 'done', result }),
      (error: unknown) => live && setState({ kind: 'unreadable', detail: String(error) }),
    );
    return () => {
      live = false;
    };
  }, [jws, fetch]);

  if (state.kind === 'checking') return <p aria-live="polite">{t.shc.checking}</p>;
  if (state.kind === 'unreadable')
    return <ErrorMessage message={t.errors.invalidResponse} detail={state.detail} />;
  const { result } = state;
  const status = result.verified ? 'verified' : result.reason === 'unreachable-issuer' ? 'unknown' : 'failed';
  const issued = issuedAt(result.payload.nbf);
  return (
    <section class="shc-card">
      <p class={`shc-status shc-${status}`} data-testid="shc-status" role="status">
        {status === 'verified'
          ? t.shc.verified
          : status === 'unknown'
            ? t.shc.couldNotVerify
            : t.shc.notVerified}
      </p>
      <dl class="banner-facts">
        <div>
          <dt>{t.shc.issuer}</dt>
          <dd data-testid="shc-issuer">{result.issuer}</dd>
        </div>
        {issued !== undefined && (
          <div>
            <dt>{t.shc.issued}</dt>
            <dd>{formatDate(issued)}</dd>
          </div>
        )}
      </dl>
      {result.fhirBundle && <CardContents bundle={result.fhirBundle} />}
    </section>
  );
};

/** The card's FHIR Bundle: the patient, then immunizations, results... as tables; anything else generic. */
const CardContents = ({ bundle }: { bundle: Bundle }) => {
  const t = useMessages();
  const { patients, sections, unlisted } = useMemo(() => bundleModel(bundle, t), [bundle, t]);
  return (
    <>
      {patients.map((patient, index) => (
        <PatientBanner key={patient.id ?? index} patient={patient} level={2} />
      ))}
      {sections.map((section, index) => (
        <SectionView key={index} section={section} id={`card-section-${index}`} level={3} />
      ))}
      {unlisted.map((resource, index) => (
        <GenericResource key={resource.id ?? index} resource={resource} />
      ))}
    </>
  );
};
