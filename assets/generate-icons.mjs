// Draws the add-in's icons (16, 32, 64, 80 and 128 px PNG) with no dependency but Node's zlib, so
// anyone can regenerate them: `node assets/generate-icons.mjs`. A blue rounded square (Fluent's brand
// blue) with a white four-pointed spark, anti-aliased by 4×4 supersampling.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const folder = path.dirname(fileURLToPath(import.meta.url));
const sizes = [16, 32, 64, 80, 128];
const background = [15, 108, 189];
const foreground = [255, 255, 255];

/** Coverage of the rounded square and of the sparks at a point in [0, 1]². */
function shapes(x, y) {
  const radius = 0.22;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
  const inSquare = dx * dx + dy * dy <= radius * radius;
  const spark = (cx, cy, size) => {
    const u = Math.abs(x - cx) / size;
    const v = Math.abs(y - cy) / size;
    return Math.sqrt(u) + Math.sqrt(v) <= 1;
  };
  const inSpark = spark(0.45, 0.55, 0.34) || spark(0.74, 0.27, 0.14);
  return { inSquare, inSpark };
}

function draw(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      let square = 0;
      let spark = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const { inSquare, inSpark } = shapes((column + (sx + 0.5) / samples) / size, (row + (sy + 0.5) / samples) / size);
          if (inSquare) {
            square++;
            if (inSpark) spark++;
          }
        }
      }
      const offset = (row * size + column) * 4;
      const alpha = square / (samples * samples);
      const mix = square === 0 ? 0 : spark / square;
      for (let channel = 0; channel < 3; channel++) {
        pixels[offset + channel] = Math.round(background[channel] * (1 - mix) + foreground[channel] * mix);
      }
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_value, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) pixels.copy(rows, row * (size * 4 + 1) + 1, row * size * 4, (row + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of sizes) {
  const file = path.join(folder, `icon-${size}.png`);
  writeFileSync(file, png(size, draw(size)));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
