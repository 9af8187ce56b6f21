import { strict as assert } from 'node:assert';
import { imageSize } from '../../../src/common/imageSize';
import { prng } from '../netreq/helpers';

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');

describe('image size from the header (the body view shows dimensions and draws the image at its natural size)', () => {
  it('reads PNG, GIF, JPEG, WebP (VP8, VP8L, VP8X), BMP and ICO headers', () => {
    const png = Buffer.concat([hex('89504e470d0a1a0a 0000000d 49484452'), hex('00000280 000001e0'), Buffer.alloc(8)]);
    assert.deepEqual(imageSize(png), { width: 640, height: 480 });
    assert.deepEqual(imageSize(Buffer.concat([Buffer.from('GIF89a'), hex('2000 1000'), Buffer.alloc(4)])), { width: 32, height: 16 });
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 300, width 400.
    const jpeg = Buffer.concat([hex('ffd8 ffe0 0010'), Buffer.alloc(14), hex('ffc0 0011 08 012c 0190 03'), Buffer.alloc(10)]);
    assert.deepEqual(imageSize(jpeg), { width: 400, height: 300 });
    const riff = (chunk: string, payload: Buffer) => Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.from(chunk), Buffer.alloc(4), payload]);
    assert.deepEqual(imageSize(riff('VP8 ', Buffer.concat([Buffer.alloc(6), hex('6400 3200'), Buffer.alloc(4)]))), { width: 100, height: 50 });
    const vp8l = Buffer.alloc(10);
    vp8l.writeUInt32LE((99 & 0x3fff) | ((49 & 0x3fff) << 14), 1);
    assert.deepEqual(imageSize(riff('VP8L', vp8l)), { width: 100, height: 50 });
    assert.deepEqual(imageSize(riff('VP8X', Buffer.concat([Buffer.alloc(4), hex('630000 310000'), Buffer.alloc(4)]))), { width: 100, height: 50 });
    const bmp = Buffer.alloc(30);
    bmp.write('BM');
    bmp.writeUInt32LE(20, 18);
    bmp.writeInt32LE(-10, 22);
    assert.deepEqual(imageSize(bmp), { width: 20, height: 10 });
    assert.deepEqual(imageSize(hex('0000 0100 0100 00 00 0000')), { width: 256, height: 256 });
  });

  it('says nothing (undefined, never a throw) for damaged, cut, absurd or random headers', () => {
    assert.equal(imageSize(Buffer.alloc(0)), undefined);
    assert.equal(imageSize(hex('89504e470d0a1a0a')), undefined, 'cut before IHDR');
    assert.equal(imageSize(Buffer.concat([hex('89504e470d0a1a0a 0000000d 49484452'), hex('7fffffff 00000001')])), undefined, 'over 65536 pixels wide');
    assert.equal(imageSize(hex('ffd8 ffe0 0000 0000 0000 0000 0000')), undefined, 'a JPEG segment of length 0');
    // A JPEG of endless tiny segments: the scan stops after a bounded number of them.
    assert.equal(imageSize(Buffer.concat([hex('ffd8'), Buffer.from(hex('fffe 0002').toString('hex').repeat(5000), 'hex')])), undefined);
    const rand = prng(3);
    for (let n = 0; n < 500; n++) {
      const b = Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
      if (n % 4 === 0) hex('ffd8').copy(b);
      const s = imageSize(b);
      if (s) assert.ok(s.width > 0 && s.height > 0 && s.width <= 65536 && s.height <= 65536);
    }
  });
});
