import { useEffect, useRef, useState } from 'preact/hooks';
import { useMessages } from '../i18n/select-messages.js';
import { readLink } from '../link/read-link.js';
import { createFrameDecoder } from './decode-frame.js';

const SCAN_INTERVAL_MS = 250;

/** Shows the camera and reports the first QR code text that holds a SMART Health Link. */
export const CameraScanner = ({ onText, onClose }: { onText(text: string): void; onClose(): void }) => {
  const t = useMessages();
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem(t.entry.cameraUnavailable);
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch (error) {
        setProblem(
          (error as Error).name === 'NotAllowedError' ? t.entry.cameraDenied : t.entry.cameraUnavailable,
        );
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const decode = await createFrameDecoder();
      const tick = async () => {
        if (stopped || !video.current) return;
        const text = await decode(video.current).catch(() => undefined);
        // Any text holding a link, as core finds it (a `SHLINK:/` prefix in capitals, a viewer URL...).
        if (text !== undefined && readLink(text).kind !== 'none') {
          onText(text);
          return;
        }
        if (text) setProblem(t.entry.scanNotLink);
        timer = setTimeout(tick, SCAN_INTERVAL_MS);
      };
      await tick();
    };
    void start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [onText, t]);

  return (
    <div class="scanner">
      <p aria-live="polite">{problem ?? t.entry.scanning}</p>
      <video ref={video} class="scanner-video" playsInline muted />
      <button type="button" onClick={onClose}>
        {t.entry.stopScan}
      </button>
    </div>
  );
};
