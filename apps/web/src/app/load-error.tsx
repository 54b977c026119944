/** The states every page shows before its data: loading, failed (with why), or absent. */
export function LoadState({
  what,
  error,
  loading,
}: {
  what: string;
  error?: { message: string };
  loading: boolean;
}) {
  if (error) {
    return (
      <p role="alert" className="error">
        Could not load the {what}: {error.message}
      </p>
    );
  }
  return loading ? <p className="muted">Loading…</p> : null;
}
