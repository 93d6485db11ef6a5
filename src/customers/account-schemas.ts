import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';

const Str = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Password = Type.String({ minLength: 12, maxLength: 1024 });
const Locale = StringEnum(['en', 'es', 'pt'] as const, { description: 'the language messages are written in' });
/** What a device knows about its shopper before login: merged into the account at login or verification. */
const Device = {
  cart_id: Type.Optional(Str(64)),
  anonymous_id: Type.Optional(Str(128)),
  device_id: Type.Optional(Str(128)),
};
const Code = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code from the mail' });

export const AccountRegisterBody = Strict({
  email: Str(320),
  password: Password,
  first_name: Type.Optional(Str(200)),
  last_name: Type.Optional(Str(200)),
  locale: Type.Optional(Locale),
});
export const AccountLoginBody = Strict({
  email: Str(320),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  ...Device,
});
export const VerifyBody = Strict({ email: Str(320), code: Code, ...Device });
export const ResetRequestBody = Strict({ email: Str(320), locale: Type.Optional(Locale) });
export const ResetConfirmBody = Strict({ email: Str(320), code: Code, password: Password });
export const LocaleBody = Strict({ locale: Locale });

export const SignedInResponse = Type.Object({
  customer_id: Type.String(),
  token: Type.String(),
  expires_at: Timestamp,
  merged: Type.Object(
    { cart: Type.Boolean(), history: Type.Boolean() },
    { description: "whether the device's anonymous cart and history joined the account" },
  ),
});
export const CodeSentResponse = Type.Object(
  { status: Type.Literal('code_sent'), expires_in_s: Type.Integer() },
  { description: 'the same answer whether or not the address is known' },
);
