import { type RouteConfig, index, route } from '@react-router/dev/routes';

export default [
  index('routes/home.tsx'),
  route('dashboard', 'routes/dashboard.tsx'),
  route('callback', 'routes/callback.ts'),
  route('sign-out', 'routes/sign-out.ts'),
  route('api/me', 'routes/api.me.ts'),
] satisfies RouteConfig;
