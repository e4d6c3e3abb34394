import type { BuiltBrCode } from '../../main/core/contract';
import { maskCpfCnpj } from '../format';

/** A key in directory format, written the way people read it: "529.982.247-25", "+55 (11) 91234-5678". */
export function displayKey(type: BuiltBrCode['keyType'], key: string): string {
  if (type === 'cpf' || type === 'cnpj') return maskCpfCnpj(key);
  if (type === 'phone') {
    const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(key);
    return m ? `+55 (${m[1]}) ${m[2]}-${m[3]}` : key;
  }
  return key;
}
