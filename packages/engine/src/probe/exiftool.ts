/**
 * One persistent exiftool process per engine (exiftool-vendored), so Perl's start-up is paid
 * once rather than per file. Closed with the engine.
 */
import { ExifTool } from 'exiftool-vendored';
import type { ExiftoolTags } from './exiftool-facts.ts';

export class ExiftoolReader {
  private readonly exiftool = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 60_000 });

  /**
   * Every tag with its family-1 group, values as exiftool prints them (`-G1`). Printed rather than
   * numeric (`-n`): with -n a timecode comes out as seconds since midnight, useless without its rate.
   */
  async read(file: string): Promise<ExiftoolTags> {
    const tags = (await this.exiftool.readRaw(file, { readArgs: ['-G1', '-a'] })) as ExiftoolTags;
    const { SourceFile: _file, errors: _errors, warnings: _warnings, ...rest } = tags;
    return rest;
  }

  close(): Promise<void> {
    return this.exiftool.end();
  }
}
