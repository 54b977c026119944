import type { CombinedError } from 'urql';

/** A form's failure, said as the api said it (its messages are written for people). */
export function FormError({ error }: { error: CombinedError | Error | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {('graphQLErrors' in error ? error.graphQLErrors[0]?.message : undefined) ?? error.message}
    </p>
  );
}
