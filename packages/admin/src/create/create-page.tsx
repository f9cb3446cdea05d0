import type { ContentPreviewAnswer, CreateLinkFromFhirBody } from '@shlkit/api';
import { useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { ContentPreviewView } from './content-preview.js';
import { EXPIRY_PRESETS, type ExpiryPresetId, expiryOf } from './expiry-presets.js';
import { generatePasscode } from './generate-passcode.js';
import { type ContentReading, readContent } from '@shlkit/core';

// SHL: a label is at most 80 characters, counted as JavaScript does (UTF-16 code units).
const MAX_LABEL = 80;
// FHIR R4 id.
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * A new link from an uploaded or pasted file (read and explained on the spot, previewed, then sent with
 * the chosen options: `POST /api/links`), or from the FHIR server (previewed by the server first,
 * `POST /api/links/from-fhir/preview`, then `POST /api/links/from-fhir`).
 */
export const CreatePage = ({ context }: { context: PageContext }) => {
  const [origin, setOrigin] = useState<'file' | 'fhir'>('file');
  const [patientId, setPatientId] = useState('');
  // The server's preview of the patient's summary, for the id it was asked for.
  const [fhirPreview, setFhirPreview] = useState<{ patientId: string; preview: ContentPreviewAnswer } | null>(
    null,
  );
  const [source, setSource] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [reading, setReading] = useState<ContentReading | null>(null);
  const [label, setLabel] = useState('');
  const [usePasscode, setUsePasscode] = useState(true);
  const [passcode, setPasscode] = useState(() => generatePasscode());
  const [attempts, setAttempts] = useState('5');
  const [expiry, setExpiry] = useState<ExpiryPresetId>('30d');
  const [customDate, setCustomDate] = useState('');
  const [longTerm, setLongTerm] = useState(false);
  const [direct, setDirect] = useState(false);
  const [maxUses, setMaxUses] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const read = (text: string, name: string | null) => {
    setSource(text);
    setFileName(name);
    setReading(text.trim() === '' ? null : readContent(text));
  };

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file === undefined) return;
    read(await file.text(), file.name);
  };

  // SHL: a U (direct) link serves one file by GET, so it can have no passcode.
  const passcodeOn = usePasscode && !direct;
  const labelTooLong = label.length > MAX_LABEL;

  const previewed = fhirPreview !== null && fhirPreview.patientId === patientId.trim();

  const previewFromFhir = async () => {
    setError(null);
    const id = patientId.trim();
    if (!FHIR_ID.test(id)) {
      setError('A FHIR patient id is 1 to 64 letters, digits, "-" and ".".');
      return;
    }
    setBusy(true);
    try {
      setFhirPreview({ patientId: id, preview: await context.client.previewLinkFromFhir({ patientId: id }) });
    } catch (failure) {
      context.checkSignedIn(failure);
      setFhirPreview(null);
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (origin === 'file' && (reading === null || !reading.ok)) {
      setError(reading?.ok === false ? reading.problem : 'Choose a file or paste its content first.');
      return;
    }
    if (origin === 'fhir' && !previewed) {
      // Never share a summary that was not shown: without a preview of this id, preview instead.
      await previewFromFhir();
      return;
    }
    const expiresAt = expiryOf(expiry, customDate, context.now());
    if (expiresAt === undefined) {
      setError('Choose an expiry date in the future.');
      return;
    }
    const options: Omit<CreateLinkFromFhirBody, 'patientId'> = {
      ...(label.trim() === '' ? {} : { label: label.trim() }),
      ...(expiresAt === null ? {} : { expiresAt }),
      ...(longTerm ? { longTerm: true } : {}),
      ...(direct ? { direct: true } : {}),
      ...(passcodeOn ? { passcode, passcodeAttempts: Number(attempts) } : {}),
      ...(maxUses === '' ? {} : { maxUses: Number(maxUses) }),
    };
    setBusy(true);
    try {
      const link =
        origin === 'fhir'
          ? await context.client.createLinkFromFhir({ patientId: patientId.trim(), ...options })
          : reading?.ok === true
            ? await context.client.createLink({
                files: [{ contentType: reading.contentType, content: reading.text }],
                ...options,
              })
            : undefined;
      if (link === undefined) return;
      context.navigate({
        page: 'link',
        id: link.id,
        created: true,
        managementToken: link.managementToken,
        ...(passcodeOn ? { passcode } : {}),
      });
    } catch (failure) {
      context.checkSignedIn(failure);
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>New link</h1>
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <fieldset class="choice">
          <legend>Content from</legend>
          <label class="check">
            <input
              type="radio"
              name="origin"
              value="file"
              checked={origin === 'file'}
              onChange={() => setOrigin('file')}
            />
            A file
          </label>
          <label class="check">
            <input
              type="radio"
              name="origin"
              value="fhir"
              checked={origin === 'fhir'}
              onChange={() => setOrigin('fhir')}
            />
            The FHIR server (the patient's International Patient Summary)
          </label>
        </fieldset>
        {origin === 'fhir' && (
          <fieldset>
            <legend>Patient</legend>
            <label>
              Patient id on the FHIR server
              <input
                name="patientId"
                required
                spellcheck={false}
                value={patientId}
                onInput={(e) => setPatientId(e.currentTarget.value)}
              />
            </label>
            <p class="hint">
              The server fetches Patient/{'{id}'}/$summary and checks that it is an IPS document. Preview it,
              then create the link.
            </p>
            <div>
              <button type="button" class="secondary" disabled={busy} onClick={() => void previewFromFhir()}>
                Preview
              </button>
            </div>
            {previewed && <ContentPreviewView preview={fhirPreview.preview} />}
          </fieldset>
        )}
        <fieldset hidden={origin !== 'file'}>
          <legend>Content</legend>
          <p class="hint">
            FHIR JSON (an International Patient Summary or any resource) or a .smart-health-card file.
          </p>
          <label>
            Upload a file
            <input
              type="file"
              name="file"
              accept=".json,.smart-health-card,application/json,application/fhir+json"
              onChange={(e) => void onFile(e.currentTarget)}
            />
          </label>
          <label>
            Or paste it
            <textarea
              name="content"
              rows={6}
              spellcheck={false}
              value={fileName === null ? source : ''}
              placeholder={fileName === null ? '{"resourceType": "Bundle", …}' : `Read from ${fileName}`}
              onInput={(e) => read(e.currentTarget.value, null)}
            />
          </label>
          {reading?.ok === false && (
            <p class="error" role="alert">
              {fileName !== null ? `${fileName}: ` : ''}
              {reading.problem}
            </p>
          )}
          {reading?.ok === true && <ContentPreviewView preview={reading.preview} />}
        </fieldset>

        <fieldset>
          <legend>Options</legend>
          <label>
            Label{' '}
            <span class="hint">(shown to receivers before any passcode; at most {MAX_LABEL} characters)</span>
            <input
              name="label"
              value={label}
              aria-invalid={labelTooLong}
              aria-describedby="label-count"
              onInput={(e) => setLabel(e.currentTarget.value)}
            />
          </label>
          <p id="label-count" class={labelTooLong ? 'error' : 'hint'}>
            {label.length} / {MAX_LABEL}
          </p>

          <label class="check">
            <input
              type="checkbox"
              name="usePasscode"
              checked={passcodeOn}
              disabled={direct}
              onChange={(e) => setUsePasscode(e.currentTarget.checked)}
            />
            Protect with a passcode
          </label>
          {passcodeOn && (
            <div class="row">
              <label class="grow">
                Passcode
                <input
                  name="passcode"
                  required
                  autocomplete="off"
                  spellcheck={false}
                  value={passcode}
                  onInput={(e) => setPasscode(e.currentTarget.value)}
                />
              </label>
              <button type="button" class="secondary" onClick={() => setPasscode(generatePasscode())}>
                New strong passcode
              </button>
              <label>
                Attempts
                <input
                  name="attempts"
                  type="number"
                  min={1}
                  max={1000}
                  required
                  value={attempts}
                  onInput={(e) => setAttempts(e.currentTarget.value)}
                />
              </label>
            </div>
          )}

          <div class="row">
            <label>
              Expires
              <select
                name="expiry"
                value={expiry}
                onChange={(e) => setExpiry(e.currentTarget.value as ExpiryPresetId)}
              >
                {EXPIRY_PRESETS.map((preset) => (
                  <option key={preset.id} value={preset.id}>
                    {preset.label}
                  </option>
                ))}
              </select>
            </label>
            {expiry === 'custom' && (
              <label>
                Date
                <input
                  type="date"
                  name="expiryDate"
                  required
                  value={customDate}
                  onInput={(e) => setCustomDate(e.currentTarget.value)}
                />
              </label>
            )}
            <label>
              Use limit <span class="hint">(empty: none)</span>
              <input
                name="maxUses"
                type="number"
                min={1}
                max={1000000}
                value={maxUses}
                onInput={(e) => setMaxUses(e.currentTarget.value)}
              />
            </label>
          </div>

          <label class="check">
            <input
              type="checkbox"
              name="longTerm"
              checked={longTerm}
              onChange={(e) => setLongTerm(e.currentTarget.checked)}
            />
            Long-term (L): the content may be updated later
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="direct"
              checked={direct}
              onChange={(e) => setDirect(e.currentTarget.checked)}
            />
            Direct file (U): one file, fetched without a passcode
          </label>
        </fieldset>

        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={
            busy ||
            labelTooLong ||
            (origin === 'file' && reading?.ok !== true) ||
            (origin === 'fhir' && !previewed)
          }
        >
          {busy ? 'Creating…' : 'Create link'}
        </button>
      </form>
    </section>
  );
};
