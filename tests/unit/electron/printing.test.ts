import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_PRINTER, PRINT_CHANNEL, PRINTERS_CHANNEL } from '../../../main/electron/print-channel';
import { registerPrintIpc } from '../../../main/electron/printing';
import { createWindow } from '../../../main/electron/window';
import { asFake, fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const OURS = 'app://pixdesk/index.html#/caixa';
const EVIL = 'https://evil.example/';
let printerName = '';

beforeEach(() => {
  fake.reset();
  printerName = '';
  fake.printers = [
    { name: 'EPSON_TM_T20', displayName: 'Epson TM-T20 (58 mm)' },
    { name: 'HP_LaserJet', displayName: '' },
  ];
  asFake(createWindow());
  registerPrintIpc(() => printerName);
});

describe('silent printing over IPC', () => {
  it('our page lists the machine’s printers (names only; a blank display name shows the name)', async () => {
    expect(await fake.invoke(OURS, PRINTERS_CHANNEL)).toEqual([
      { name: 'EPSON_TM_T20', displayName: 'Epson TM-T20 (58 mm)' },
      { name: 'HP_LaserJet', displayName: 'HP_LaserJet' },
    ]);
  });

  it('a foreign frame, or a frame already gone, gets no printers and prints nothing', async () => {
    printerName = 'EPSON_TM_T20';
    expect(await fake.invoke(EVIL, PRINTERS_CHANNEL)).toEqual([]);
    expect(await fake.invoke(null, PRINTERS_CHANNEL)).toEqual([]);
    expect(await fake.invoke(EVIL, PRINT_CHANNEL)).toEqual({ ok: false, reason: 'forbidden-sender' });
    expect(fake.printJobs).toEqual([]);
  });

  it('prints the asking page silently on the printer of the settings, read at each print', async () => {
    printerName = 'EPSON_TM_T20';
    expect(await fake.invoke(OURS, PRINT_CHANNEL)).toEqual({ ok: true });
    printerName = 'HP_LaserJet';
    expect(await fake.invoke(OURS, PRINT_CHANNEL)).toEqual({ ok: true });
    const id = fake.windows[0]!.webContents.id;
    expect(fake.printJobs).toEqual([
      { contents: id, options: { silent: true, deviceName: 'EPSON_TM_T20', printBackground: true } },
      { contents: id, options: { silent: true, deviceName: 'HP_LaserJet', printBackground: true } },
    ]);
  });

  it('the page cannot name the printer: an argument it sends is ignored', async () => {
    printerName = 'EPSON_TM_T20';
    expect(await fake.invoke(OURS, PRINT_CHANNEL, 'Microsoft Print to PDF')).toEqual({ ok: true });
    expect(fake.printJobs.map((j) => j.options.deviceName)).toEqual(['EPSON_TM_T20']);
  });

  it('no printer chosen, or one this machine no longer lists: refused (the page falls back to the dialog)', async () => {
    expect(await fake.invoke(OURS, PRINT_CHANNEL)).toEqual({ ok: false, reason: NO_PRINTER });
    printerName = 'Gone_Printer';
    expect(await fake.invoke(OURS, PRINT_CHANNEL)).toEqual({ ok: false, reason: 'unknown-printer' });
    expect(fake.printJobs).toEqual([]);
  });

  it('a failed job reports Chromium’s reason', async () => {
    printerName = 'EPSON_TM_T20';
    fake.printFailure = 'Print job failed';
    expect(await fake.invoke(OURS, PRINT_CHANNEL)).toEqual({ ok: false, reason: 'Print job failed' });
  });

  it('the preload exposes listPrinters and printSilently on their own channels', async () => {
    printerName = 'HP_LaserJet';
    vi.resetModules();
    await import('../../../preload/index');
    const bridge = fake.mainWorld.get('pixdesk') as { listPrinters(): Promise<unknown[]>; printSilently(): Promise<unknown> };
    expect(await bridge.listPrinters()).toHaveLength(2);
    expect(await bridge.printSilently()).toEqual({ ok: true });
    expect(fake.rendererInvokes).toEqual([PRINTERS_CHANNEL, PRINT_CHANNEL]);
    expect(fake.printJobs.map((j) => j.options.deviceName)).toEqual(['HP_LaserJet']);
  });
});
