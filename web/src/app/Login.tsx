import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { setSession } from './session';
import { Field, ProblemView, SubmitButton } from '../ui/components';
import { LanguagePicker } from './LanguagePicker';

export function Login() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/staff/login', { body: { email, password } })),
    onSuccess: (s) => setSession(s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-label={t('login.title')}>
        <h1>{t('app.name')}</h1>
        <p>{t('login.title')}</p>
        <Field
          label={t('login.email')}
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={login.error}
          required
        />
        <Field
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={login.error}
          required
        />
        <ProblemView error={login.error} shownFields={['email', 'password']} />
        <SubmitButton pending={login.isPending}>{t('login.submit')}</SubmitButton>
        <LanguagePicker />
      </form>
    </main>
  );
}
