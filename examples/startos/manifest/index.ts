// The StartOS manifest, reduced to what patchkit reads: the image the package
// builds. start-cli builds it from the package root with
//   docker buildx build upstream -f .dockerfiles/docker/Dockerfile.cpu \
//     --platform=linux/amd64 --build-arg ARCH=x86_64 --build-arg VLLM_VERSION=0.33.0
// and again for linux/arm64 (ARCH=aarch64)
// where .dockerfiles/ holds the patched copy that `patchkit apply` writes.
import { setupManifest } from '@start9labs/start-sdk'

const VLLM_VERSION = '0.33.0'

export const manifest = setupManifest({
  id: 'vllm',
  title: 'vLLM',
  images: {
    vllm: {
      source: {
        dockerBuild: {
          workdir: './upstream',
          dockerfile: './.dockerfiles/docker/Dockerfile.cpu',
          buildArgs: { VLLM_VERSION },
        },
      },
      arch: ['x86_64', 'aarch64'],
    },
  },
})
