import { VersionInfo, IMPOSSIBLE } from '@start9labs/start-sdk'

// The package version: upstream vLLM 0.33.0, first downstream revision.
// `patchkit bump` rewrites this version when the upstream submodule moves.
export const current = VersionInfo.of({
  version: '0.33.0:0',
  releaseNotes: 'Update vLLM to 0.33.0',
  migrations: {
    up: async ({ effects }) => {},
    down: IMPOSSIBLE,
  },
})
