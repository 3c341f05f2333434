import type { Config } from '@react-router/dev/config';

export default {
  ssr: true,
  // The integration test builds into a cache folder of its own.
  buildDirectory: process.env.REACT_ROUTER_BUILD_DIRECTORY ?? 'build',
} satisfies Config;
