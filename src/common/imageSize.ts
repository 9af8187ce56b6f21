/**
 * An image's size in pixels from its first bytes (PNG, GIF, JPEG, WebP, BMP, ICO), without decoding it, so a
 * page can show "640 × 480" and draw the image at its natural size from the start. Every read is bounds-checked:
 * a damaged or hostile header gives undefined, never a throw; a JPEG scan stops after a bounded number of segments.
 */

export interface ImageSize {
  width: number;
  height: number;
}

const be16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const le16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const be32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const le24 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const le32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

/** The largest side believed (a header claiming more is damaged). */
const MAX_SIDE = 1 << 16;
/** JPEG segments read before giving up. */
const MAX_SEGMENTS = 200;

function sized(width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE ? { width, height } : undefined;
}

function jpeg(b: Uint8Array): ImageSize | undefined {
  let i = 2;
  for (let n = 0; n < MAX_SEGMENTS && i + 9 < b.length; n++) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return sized(be16(b, i + 7), be16(b, i + 5));
    const len = be16(b, i + 2);
    if (len < 2) return undefined;
    i += 2 + len;
  }
  return undefined;
}

function webp(b: Uint8Array): ImageSize | undefined {
  if (b.length < 30) return undefined;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') return sized(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  if (chunk === 'VP8L') {
    const bits = le32(b, 21);
    return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return sized(le24(b, 24) + 1, le24(b, 27) + 1);
  return undefined;
}

/** The size the header states, or undefined (unknown format, damaged or cut too early). */
export function imageSize(b: Uint8Array): ImageSize | undefined {
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR') return sized(be32(b, 16), be32(b, 20));
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') return sized(le16(b, 6), le16(b, 8));
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return sized(le32(b, 18), Math.abs(le32(b, 22) | 0));
  if (b.length >= 8 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0 && le16(b, 4) > 0) return sized(b[6] || 256, b[7] || 256);
  return undefined;
}
