/**
 * The payer's name as the customer display may show it: the first name, the rest masked ("Maria D** S****"), so a
 * queue behind the customer learns nothing more than a greeting needs. Pure, for the unit tests.
 */
export function maskPayerName(name: string | null | undefined): string | null {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (!first) return null;
  const pretty = first.charAt(0).toLocaleUpperCase('pt-BR') + first.slice(1).toLocaleLowerCase('pt-BR');
  // "MARIA DA SILVA" → "Maria D** S****": each further word keeps its initial.
  return words.length > 1 ? `${pretty} ${words.slice(1).map((w) => `${w.charAt(0).toLocaleUpperCase('pt-BR')}${'*'.repeat(Math.max(2, Math.min(5, w.length - 1)))}`).join(' ')}` : pretty;
}
