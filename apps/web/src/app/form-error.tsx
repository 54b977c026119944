import type { CombinedError } from 'urql';

/** A form's failure, said as the api said it (its messages are written for people). */
export function FormError({ error }: { error: CombinedError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error.graphQLErrors[0]?.message ?? error.message}
    </p>
  );
}
