import { beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMenu } from '../../../main/electron/menu';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

interface Item {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: Item[];
}

beforeEach(() => fake.reset());

describe('application menu', () => {
  it('is in pt-BR, and "Nova janela" opens a hardened window of our origin', () => {
    buildMenu();
    const template = (fake.menu?.template ?? []) as Item[];
    expect(template.map((m) => m.label)).toEqual(['PixDesk', 'Editar', 'Exibir']);
    const labels = template.flatMap((m) => m.submenu ?? []).filter((i) => i.type !== 'separator').map((i) => i.label);
    expect(labels).toEqual(['Nova janela', 'Sair', 'Desfazer', 'Refazer', 'Recortar', 'Copiar', 'Colar', 'Selecionar tudo', 'Recarregar', 'Tela cheia', 'Tamanho real', 'Aumentar', 'Diminuir']);
    // No developer tools in the menu of a workstation holding the company's certificate.
    expect(template.flatMap((m) => m.submenu ?? []).map((i) => i.role)).not.toContain('toggleDevTools');
    const newWindow = template[0]!.submenu!.find((i) => i.label === 'Nova janela')!;
    newWindow.click!();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.loadedUrls).toEqual(['app://pixdesk/index.html']);
    expect(fake.windows[0]!.webContents.tryNavigate('https://evil.example/')).toBe(false);
  });
});
