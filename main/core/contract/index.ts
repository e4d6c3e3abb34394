import { z } from 'zod';
import type { OpName } from './ops';
import type { AppInfo, Settings } from './types';

export * from './ops';
export * from './types';

/** Declares an operation's input schema together with the TypeScript type of its output. */
function op<I extends z.ZodType, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O };
}

const empty = z.object({}).strict();

/**
 * The contract: one table of `domain:action` operations, each with a zod input schema and the type of
 * its result. Electron IPC, the browser host's `POST /rpc/<op>` and the CLI all dispatch through it.
 */
export const contract = {
  'app:info': op<typeof empty, AppInfo>(empty),
  'settings:get': op<typeof empty, Settings>(empty),
  'settings:set': op<z.ZodType<Partial<Settings>>, Settings>(
    z
      .object({
        tillName: z.string().trim().min(1).max(40).optional(),
        renewalWindowDays: z.number().int().min(7).max(90).optional(),
      })
      .strict(),
  ),
} satisfies Record<OpName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type OpInput<K extends OpName> = z.infer<Contract[K]['input']>;
export type OpOutput<K extends OpName> = Contract[K]['output'];
export type Handlers = { [K in OpName]: (input: OpInput<K>) => Promise<OpOutput<K>> | OpOutput<K> };
