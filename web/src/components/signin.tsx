/** The sign-in form, shown when the API asks for a credential: one API key, kept for this tab. */
import { useEffect, useRef } from 'preact/hooks';
import { signIn } from '../auth';

export function SignInForm({ refused }: { refused: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, [refused]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const key = input.current?.value.trim() ?? '';
    if (!key) {
      input.current?.focus();
      return;
    }
    signIn(key);
  };

  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <p id="sign-in-hint" class="muted">
        This backupql API asks for a credential. The API key is kept in this browser tab only, until you sign out or close the tab.
      </p>
      {refused ? (
        <p id="sign-in-error" class="error" role="alert">
          The API key was refused.
        </p>
      ) : null}
      <form class="sign-in-form" onSubmit={submit} noValidate>
        <label for="api-key">API key</label>
        <input
          ref={input}
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          required
          aria-invalid={refused}
          aria-describedby={refused ? 'sign-in-error sign-in-hint' : 'sign-in-hint'}
        />
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
