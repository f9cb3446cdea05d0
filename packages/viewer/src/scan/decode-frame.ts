/** Finds a QR code's text in a video frame: the browser's BarcodeDetector, else jsQR loaded on demand. */
export type FrameDecoder = (video: HTMLVideoElement) => Promise<string | undefined>;

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

const nativeDetector = async (): Promise<BarcodeDetectorLike | undefined> => {
  const Detector = (
    globalThis as { BarcodeDetector?: BarcodeDetectorClass & { getSupportedFormats?(): Promise<string[]> } }
  ).BarcodeDetector;
  if (!Detector) return undefined;
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
    return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : undefined;
  } catch {
    // Some browsers expose the class but fail on use: fall back to the JavaScript decoder.
    return undefined;
  }
};

export const createFrameDecoder = async (): Promise<FrameDecoder> => {
  const native = await nativeDetector();
  if (native) {
    return async (video) => (await native.detect(video))[0]?.rawValue;
  }
  // Only loaded when the camera is used without a native detector, so it costs nothing on first load.
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!context || video.videoWidth === 0) return undefined;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data;
  };
};
