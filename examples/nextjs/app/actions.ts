'use server';
import { signOut, switchToOrganization } from 'sealed-session/next';

export async function signOutAction(): Promise<void> {
  const origin = new URL(process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI!).origin;
  await signOut({ returnTo: `${origin}/signed-out` });
}

export async function switchOrganizationAction(formData: FormData): Promise<void> {
  await switchToOrganization(String(formData.get('organizationId') ?? ''), { returnTo: '/' });
}
