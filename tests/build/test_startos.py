"""The StartOS manifest, read statically: images, sources, arch, build args, variants, imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from patchkit.build import discover_build
from patchkit.config import find_config

Repo = Callable[[dict[str, str]], Path]

# vllm-startos's first shape (a source build of the vllm submodule; ROCm chosen by env),
# written for these tests
FIRST_SHAPE = """import { setupManifest } from '@start9labs/start-sdk'
import { long, short } from './i18n'

const ROCM = process.env.ROCM === '1'

export const manifest = setupManifest({
  id: 'vllm',
  description: { short, long },
  images: {
    vllm: {
      source: {
        dockerBuild: {
          workdir: './vllm',
          dockerfile: ROCM ? './vllm/docker/Dockerfile.rocm' : './vllm/docker/Dockerfile.cpu',
        },
      },
    },
  },
})
"""

VARIANT_MAP = """import { setupManifest } from '@start9labs/start-sdk'
import { VLLM_VERSION } from '../utils'

const variant = process.env.VARIANT || 'cpu'
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> }
const mutable = <T>(value: T): Mutable<T> => value as Mutable<T>

const imageConfigs = {
  nvidia: {
    source: { dockerTag: `vllm/vllm-openai:${VLLM_VERSION}` },
    arch: ['x86_64', 'aarch64'],
    nvidiaContainer: true,
  },
  cpu: {
    source: {
      dockerBuild: {
        workdir: './vllm',
        dockerfile: './.dockerfiles/Dockerfile.cpu',
        buildArgs: { VLLM_VERSION: { env: 'UPSTREAM_VLLM_VERSION' }, TORCH: 'cpu' },
      },
    },
    arch: ['x86_64'],
  },
} as const

export const manifest = setupManifest({
  id: 'vllm',
  images: {
    vllm: mutable(imageConfigs[variant as keyof typeof imageConfigs] ?? imageConfigs.cpu),
  },
})
"""


def _builds(root: Path) -> list[object]:
    return list(discover_build(find_config(root)).builds)


def test_first_shape_defaults_and_conditional_dockerfile(repo: Repo) -> None:
    root = repo({
        "startos/manifest/index.ts": FIRST_SHAPE,
        "startos/manifest/i18n.ts": "export const short = 's'\nexport const long = 'l'\n",
        ".gitmodules": '[submodule "vllm"]\n\tpath = vllm\n\turl = https://github.com/vllm-project/vllm\n',
    })  # fmt: skip
    model = discover_build(find_config(root))
    assert model.manifest == "startos/manifest/index.ts"
    assert [(s.name, s.path, s.origin.line) for s in model.submodules] == [("vllm", "vllm", 2)]
    assert model.upstream is not None and model.upstream.value == "vllm"
    labels = [(b.label, b.dockerfile.value) for b in model.builds]  # type: ignore[union-attr]
    assert labels == [
        ("image vllm (ROCM unset)", "vllm/docker/Dockerfile.cpu"),
        ("image vllm (ROCM=1)", "vllm/docker/Dockerfile.rocm"),
    ]
    cpu = model.builds[0]
    assert cpu.context is not None and (cpu.context.value, cpu.context.origin.line) == ("vllm", 13)  # type: ignore[union-attr]
    # no arch: the SDK builds both; start-cli always passes ARCH
    assert cpu.platforms.value == ("linux/arm64", "linux/amd64")
    assert cpu.platforms.origin is None and "SDK" in (cpu.platforms.default or "")
    assert set(cpu.build_args) == {"ARCH"}
    assert cpu.target is None


def test_variant_map_with_imported_constant_and_env_build_arg(repo: Repo) -> None:
    root = repo({
        "startos/manifest/index.ts": VARIANT_MAP,
        "startos/utils.ts": "export const VLLM_VERSION = 'v0.29.0'\n",
    })  # fmt: skip
    cpu, nvidia = _builds(root)
    assert cpu.label == "image vllm (VARIANT=cpu)" and cpu.default_variant  # type: ignore[attr-defined]
    assert cpu.dockerfile.value == ".dockerfiles/Dockerfile.cpu"  # type: ignore[attr-defined]
    assert cpu.platforms.value == ("linux/amd64",)  # type: ignore[attr-defined]
    assert cpu.build_args["TORCH"].value == "cpu"  # type: ignore[attr-defined]
    env_arg = cpu.build_args["VLLM_VERSION"]  # type: ignore[attr-defined]
    assert env_arg.value is None and "UPSTREAM_VLLM_VERSION" in env_arg.default
    assert nvidia.label == "image vllm (VARIANT=nvidia)" and not nvidia.default_variant  # type: ignore[attr-defined]
    assert nvidia.tag.value == "vllm/vllm-openai:v0.29.0"  # type: ignore[attr-defined]
    # the tag's constant is followed into startos/utils.ts
    (part,) = nvidia.tag is not None and _tag_parts(root)
    assert (part.origin.path, part.origin.line, part.value) == ("startos/utils.ts", 1, "v0.29.0")
    assert nvidia.platforms.value == ("linux/amd64", "linux/arm64")  # type: ignore[attr-defined]
    assert nvidia.is_prebuilt and nvidia.dockerfile is None  # type: ignore[attr-defined]


def _tag_parts(root: Path) -> tuple[object, ...]:
    from patchkit.typescript import Program, Sources

    program = Program(Sources(root), {"VARIANT": "nvidia"})
    manifest = program.export("startos/manifest/index.ts", "manifest")
    tag = manifest.props["images"].props["vllm"].props["source"].props["dockerTag"]  # type: ignore[attr-defined]
    return tag.parts  # type: ignore[no-any-return]


def test_reexports_aliases_and_manifest_ts(repo: Repo) -> None:
    root = repo({
        "startos/manifest.ts": (
            "import { sdk } from './sdk'\nimport * as C from './constants'\n"
            "export const manifest = sdk.setupManifest({ images: { main: { source: "
            "{ dockerTag: 'ghcr.io/x/y:' + C.TAG }, arch: C.ARCHES } } })\n"
        ),
        "startos/constants/index.ts": "export { tag as TAG } from './tag'\nexport * from './arch'\n",
        "startos/constants/tag.ts": "const t = '1.2.3'\nexport { t as tag }\n",
        "startos/constants/arch.ts": "export const ARCHES = ['riscv64'] as const\n",
    })  # fmt: skip
    (main,) = _builds(root)
    assert main.tag.value == "ghcr.io/x/y:1.2.3"  # type: ignore[attr-defined]
    assert main.platforms.value == ("linux/riscv64",)  # type: ignore[attr-defined]


def test_what_cannot_be_read_is_said_with_its_place(repo: Repo) -> None:
    root = repo({
        "startos/manifest/index.ts": (
            "import { setupManifest } from '@start9labs/start-sdk'\n"
            "import { computeTag } from 'some-package'\n"
            "export const manifest = setupManifest({ images: { main: {\n"
            "  source: { dockerTag: computeTag() },\n  arch: ['x86_64'] } } })\n"
        ),
    })  # fmt: skip
    (main,) = _builds(root)
    ((message, origin),) = main.unknowns  # type: ignore[attr-defined]
    assert "dockerTag" in message and "computeTag" in message
    assert (origin.path, origin.line, origin.col) == ("startos/manifest/index.ts", 4, 24)
    assert main.tag is None  # type: ignore[attr-defined]


def test_a_self_referring_constant_is_unknown_not_a_hang(repo: Repo) -> None:
    root = repo({
        "startos/manifest.ts": (
            "import { setupManifest } from '@start9labs/start-sdk'\n"
            "const A: string = B\nconst B: string = A\n"
            "export const manifest = setupManifest({ images: { m: { source: { dockerTag: A } } } })\n"
        ),
    })  # fmt: skip
    (m,) = _builds(root)
    assert m.tag is None and "refers to itself" in m.unknowns[0][0]  # type: ignore[attr-defined]
