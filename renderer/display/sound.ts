/**
 * The short chime the customer display may play on payment, made with Web Audio (no sound file to ship or
 * download). Off by default; the cashier turns it on for this computer (localStorage, shared by the display tab).
 */
const KEY = 'pixdesk.display.sound';

/** True when the cashier turned the payment sound on. */
export function displaySoundOn(): boolean {
  try {
    return window.localStorage.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/** Turn the payment sound on or off on this computer. */
export function setDisplaySound(on: boolean): void {
  try {
    window.localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Storage disabled: the sound stays off, as by default.
  }
}

/** Two rising notes, 0.35 s in all; silently nothing when the browser has no audio (or blocks it). */
export function playPaidChime(): void {
  try {
    const Ctx = window.AudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const notes = [880, 1320];
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const at = ctx.currentTime + i * 0.15;
      osc.type = 'sine';
      osc.frequency.setValueAtTime(freq, at);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.22);
    });
    window.setTimeout(() => void ctx.close(), 600);
  } catch {
    // No audio device: the screen alone says it was paid.
  }
}
