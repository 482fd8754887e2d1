/**
 * Local media files are checked by `render validate` and `render plan` before anything could be
 * sent: each bad file is reported at its value, saying what the file is (never what it holds),
 * with exit 2.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const MP4 = resolve(import.meta.dirname, '../../jobs/refs/raccoon.mp4');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const SECRET_TEXT = 'root:x:0:0:root:/root:/bin/bash\nsecret-token-1234\n';

/** A v2v shot on line 6, its video_url value at column 26. */
function v2v(videoUrl: string): string {
  return `version: 1\nshots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n    params: { video_url: ${videoUrl} }\n`;
}

async function bothCommands(dir: string): Promise<{ code: number; stderr: string }[]> {
  return [await runCli(['validate', 'm.yaml'], dir), await runCli(['plan', 'm.yaml'], dir)];
}

async function expectProblem(dir: string, expected: string): Promise<void> {
  for (const r of await bothCommands(dir)) {
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([expected, 'render: 1 problem in the manifest; nothing was submitted.']);
    expect(r.stderr).not.toContain('secret-token');
    expect(r.stderr).not.toContain('root:x');
  }
}

describe('local media files', () => {
  it('accepts a small MP4 next to the manifest', async () => {
    const dir = tempDir({ 'm.yaml': v2v('ref.mp4') });
    copyFileSync(MP4, join(dir, 'ref.mp4'));
    for (const r of await bothCommands(dir)) expect(r.code).toBe(0);
  });

  it('accepts real media outside the manifest folder, through a symlink too', async () => {
    const outside = tempDir();
    copyFileSync(MP4, join(outside, 'clip.mp4'));
    const dir = tempDir({ 'story/m.yaml': v2v(`../../${outside.split('/').pop()}/clip.mp4`) });
    symlinkSync(join(outside, 'clip.mp4'), join(dir, 'story', 'link.mp4'));
    for (const r of await bothCommands(join(dir, 'story'))) expect(r.code).toBe(0);
    writeFileSync(join(dir, 'story', 'm.yaml'), v2v('link.mp4'));
    for (const r of await bothCommands(join(dir, 'story'))) expect(r.code).toBe(0);
  });

  it('refuses a symlink to a text file outside the folder, without printing its content', async () => {
    const outside = tempDir({ 'shadow': SECRET_TEXT });
    const dir = tempDir({ 'm.yaml': v2v('ref.mp4') });
    symlinkSync(join(outside, 'shadow'), join(dir, 'ref.mp4'));
    await expectProblem(dir, 'm.yaml:6:26: video_url: ref.mp4 is not a video file (MP4, MOV or WebM): its first bytes are not a known video header');
  });

  it('refuses a text file given by a path that climbs out of the folder', async () => {
    const outside = tempDir({ 'notes.txt': SECRET_TEXT });
    const dir = tempDir();
    const rel = `../${outside.split('/').pop()}/notes.txt`;
    writeFileSync(join(dir, 'm.yaml'), v2v(rel));
    await expectProblem(dir, `m.yaml:6:26: video_url: ${rel} is not a video file (MP4, MOV or WebM): its first bytes are not a known video header`);
  });

  it('refuses a PNG as video_url and names what it is', async () => {
    const dir = tempDir({ 'm.yaml': v2v('still.png'), 'still.png': PNG });
    await expectProblem(dir, 'm.yaml:6:26: video_url: still.png is a PNG image, not a video file (MP4, MOV or WebM)');
  });

  it('refuses an MP4 as a Kling start_image', async () => {
    const text = 'version: 1\nshots:\n  - id: a\n    prompt: p\n    model: kling/kling-2.5\n    params: { start_image: first.png }\n';
    const dir = tempDir({ 'm.yaml': text });
    copyFileSync(MP4, join(dir, 'first.png'));
    await expectProblem(dir, 'm.yaml:6:28: start_image: first.png is an MP4 video, not an image file (PNG, JPEG or WebP)');
  });

  it('refuses a folder and an empty file', async () => {
    const dir = tempDir({ 'm.yaml': v2v('clips'), 'empty.mp4': '' });
    mkdirSync(join(dir, 'clips'));
    await expectProblem(dir, 'm.yaml:6:26: video_url: clips is a folder, not a file');
    writeFileSync(join(dir, 'm.yaml'), v2v('empty.mp4'));
    await expectProblem(dir, 'm.yaml:6:26: video_url: empty.mp4 is empty, not a video file (MP4, MOV or WebM)');
  });

  it('refuses /dev/zero as a character device, without reading it', async () => {
    const dir = tempDir({ 'm.yaml': v2v('/dev/zero') });
    await expectProblem(dir, 'm.yaml:6:26: video_url: /dev/zero is a character device, not a regular file');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without opening it (no writer: opening would block)', async () => {
    const dir = tempDir({ 'm.yaml': v2v('pipe.mp4') });
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.mp4')]);
    } catch {
      return; // no mkfifo here
    }
    await expectProblem(dir, 'm.yaml:6:26: video_url: pipe.mp4 is a FIFO, not a regular file');
  });

  it('refuses a file over the provider limit (a sparse 1.6 GB file)', async () => {
    const dir = tempDir({ 'm.yaml': v2v('big.mp4') });
    const big = join(dir, 'big.mp4');
    copyFileSync(MP4, big);
    truncateSync(big, 1_600_000_000);
    await expectProblem(
      dir,
      'm.yaml:6:26: video_url: big.mp4 is 1.6 GB, over the 32 MB limit of aimlapi for inline media: upload it and give its https URL instead',
    );
  });

  it('reports a bad file in a sweep at the sweep value', async () => {
    const text = 'version: 1\nshots:\n  - id: a\n    prompt: p\n    model: krea/krea-wan-14b/video-to-video\n    sweep: { video_url: [ok.mp4, bad.mp4] }\n';
    const dir = tempDir({ 'm.yaml': text, 'bad.mp4': 'hello' });
    copyFileSync(MP4, join(dir, 'ok.mp4'));
    await expectProblem(dir, 'm.yaml:6:34: video_url: bad.mp4 is not a video file (MP4, MOV or WebM): its first bytes are not a known video header');
  });
});
