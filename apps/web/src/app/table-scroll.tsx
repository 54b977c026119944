import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on its own when the window is narrower than it (a phone), so the
 * page does not; focusable, so the keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="group" aria-label={label}>
      {children}
    </div>
  );
}
