/** A colour chain's filters with its LUTs materialized as .cube files (see lut-file.ts). */
import { colorFilters, lutsFor, type ColorChain } from './color-filters.ts';
import { cubeFile } from './lut-file.ts';

export async function resolveColorFilters(chain: ColorChain, lutCache?: string): Promise<string[]> {
  const names = lutsFor(chain);
  const paths = await Promise.all(names.map((name) => cubeFile(name, lutCache)));
  return colorFilters(chain, Object.fromEntries(names.map((name, i) => [name, paths[i]!])));
}
