/** Pure rules for productions, unit-tested without a database. */
import { colorPipelineSettings, proxyProfileSettings } from '@rushes/schema/render-settings';
import { z } from 'zod';

export interface NewProduction {
  name: string;
  code: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const CODE = /^[A-Z0-9][A-Z0-9_-]{1,15}$/;

/** Trims and upper-cases; explains the first problem found. */
export function checkNewProduction(input: NewProduction): Checked<NewProduction> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  const code = input.code.trim().toUpperCase();
  if (name.length === 0) return { ok: false, field: 'name', message: 'A production needs a name.' };
  if (name.length > 200) {
    return {
      ok: false,
      field: 'name',
      message: `The name is ${name.length} characters long; the limit is 200.`,
    };
  }
  if (!CODE.test(code)) {
    return {
      ok: false,
      field: 'code',
      message: `"${input.code}" is not a valid code: use 2–16 letters, digits, "-" or "_", starting with a letter or digit.`,
    };
  }
  return { ok: true, value: { name, code } };
}

export interface ProductionChanges {
  name?: string | null | undefined;
  fpsNum?: number | null | undefined;
  fpsDen?: number | null | undefined;
  proxyProfiles?: Record<string, unknown>[] | null | undefined;
  colorPipeline?: Record<string, unknown> | null | undefined;
}

/** The columns to update, checked: a bad setting is refused with the field and the reason. */
export function checkProductionChanges(changes: ProductionChanges): Checked<Record<string, unknown>> {
  const set: Record<string, unknown> = {};
  if (changes.name != null) {
    const checked = checkNewProduction({ name: changes.name, code: 'XX' });
    if (!checked.ok) return checked;
    set['name'] = checked.value.name;
  }
  if ((changes.fpsNum == null) !== (changes.fpsDen == null)) {
    return {
      ok: false,
      field: 'fpsNum',
      message: 'Give fpsNum and fpsDen together (24000 and 1001 for 23.976).',
    };
  }
  if (changes.fpsNum != null && changes.fpsDen != null) {
    const fps = changes.fpsNum / changes.fpsDen;
    if (changes.fpsNum < 1 || changes.fpsDen < 1 || fps < 1 || fps > 240) {
      return {
        ok: false,
        field: 'fpsNum',
        message: `${changes.fpsNum}/${changes.fpsDen} is not a frame rate between 1 and 240.`,
      };
    }
    set['fpsNum'] = changes.fpsNum;
    set['fpsDen'] = changes.fpsDen;
  }
  if (changes.proxyProfiles != null) {
    const parsed = proxyProfilesSchema.safeParse(changes.proxyProfiles);
    if (!parsed.success) return { ok: false, field: 'proxyProfiles', message: describe(parsed.error) };
    const ids = parsed.data.map((p) => p.id);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated)
      return { ok: false, field: 'proxyProfiles', message: `Profile "${repeated}" is listed twice.` };
    set['proxyProfiles'] = parsed.data;
  }
  if (changes.colorPipeline != null) {
    const parsed = colorPipelineSettings.strict().safeParse(changes.colorPipeline);
    if (!parsed.success) return { ok: false, field: 'colorPipeline', message: describe(parsed.error) };
    set['colorPipeline'] = parsed.data;
  }
  return { ok: true, value: set };
}

const proxyProfilesSchema = z.array(proxyProfileSettings.strict());

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}
