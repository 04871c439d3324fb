"""A hypothesis strategy for setup.py-shaped programs: the statements the analyser models.

Programs are built from the shapes ``patchkit/scm`` reads (every import form of
setuptools-scm, ``get_version`` calls with literal, named, parameter, environment and
``**`` arguments, ``setup()`` calls, environment writes, guards, early returns) nested
in functions, classes, loops, ``try`` and ``with`` blocks, with the names drawn from a
small set so that shadowing, rebinding and scopes collide often. Only programs Python
compiles are kept.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = ["get_version", "gv", "scm", "setuptools_scm", "os", "environ", "dist", "v", "name"]
DISTS = ['"pkg"', '"Pkg.Name"', '"pkg-é"', "None", "dist", "name", 'os.environ["PKG"]', "v", "1"]
ENV = ["SETUPTOOLS_SCM_PRETEND_VERSION", "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_PKG", "OTHER"]
CALLEES = ["get_version", "gv", "scm.get_version", "setuptools_scm.get_version"]

IMPORTS = [
    "import os", "import setuptools_scm", "import setuptools_scm as {n}",
    "from setuptools_scm import get_version", "from setuptools_scm import get_version as {n}",
    "from setuptools_scm import *", "from os import environ", "from os import putenv, getenv",
    "from setuptools import setup", "import setuptools", "from .setuptools_scm import get_version",
]  # fmt: skip


@st.composite
def _expr(draw: st.DrawFn, depth: int = 0) -> str:
    n = draw(st.sampled_from(NAMES))
    d = draw(st.sampled_from(DISTS))
    callee = draw(st.sampled_from(CALLEES))
    args = draw(
        st.sampled_from(["", "dist_name=" + d, d, 'root=".", dist_name=' + d, "**kw", "*a"])
    )
    var = draw(st.sampled_from(ENV))
    shapes = [
        n,
        d,
        f'"{var}"',
        f"{callee}({args})",
        f'os.getenv("{var}")',
        f'os.environ.get("X", {d})',
    ]
    if depth < 2:
        inner = draw(_expr(depth + 1))
        shapes += [
            f"[{inner} for {n} in ({d},)]",
            f"(lambda {n}: {inner})",
            f"({n} := {inner})",
            f"{{'dist_name': {inner}}}",
            f"{n}({inner})",
        ]
    return draw(st.sampled_from(shapes))


@st.composite
def _guard(draw: st.DrawFn) -> str:
    var = draw(st.sampled_from(["VLLM_VERSION_OVERRIDE", "X", *ENV]))
    return draw(
        st.sampled_from(
            [
                f'os.getenv("{var}")',
                f'not os.environ.get("{var}")',
                f'"{var}" in os.environ',
                f'"{var}" not in os.environ',
                f'os.getenv("{var}") is not None',
                f"{draw(_expr())}",
            ]
        )
    )


@st.composite
def _block(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    pad = "    " * indent
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.sampled_from(NAMES))
        kind = draw(st.integers(0, 13 if depth < 3 else 6))
        if kind == 0:
            out.append(pad + draw(st.sampled_from(IMPORTS)).format(n=n))
        elif kind == 1:
            out.append(f"{pad}{n} = {draw(_expr())}")
        elif kind == 2:  # sometimes two statements on a line, after non-ASCII text
            prefix = draw(st.sampled_from(["", 'é = "ü"; ', "x = 'ő'; v = get_version(); "]))
            out.append(pad + prefix + draw(_expr()))
        elif kind == 3:
            var = draw(st.sampled_from(ENV))
            value = draw(_expr())
            out.append(
                pad
                + draw(
                    st.sampled_from(
                        [
                            f'os.environ["{var}"] = {value}',
                            f'os.environ.setdefault("{var}", {value})',
                            f'os.environ.update({{"{var}": {value}}})',
                            f"os.environ.update({var}={value})",
                            f'putenv("{var}", {value})',
                        ]
                    )
                )
            )
        elif kind == 4:
            out.append(f"{pad}setup(name={draw(_expr())}, version={draw(_expr())})")
        elif kind == 5:
            out.append(pad + draw(st.sampled_from(["return " + draw(_expr()), "raise SystemExit"])))
        elif kind == 6:
            out.append(f"{pad}{n} += 'x'")
        elif kind in (7, 8):
            out.append(f"{pad}if {draw(_guard())}:" + (" " + draw(_expr()) if kind == 8 else ""))
            if kind == 7:
                out += draw(_block(indent + 1, depth + 1))
                if draw(st.booleans()):
                    out.append(pad + "else:")
                    out += draw(_block(indent + 1, depth + 1))
        elif kind == 9:
            params = ", ".join(draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True)))
            default = draw(st.sampled_from(["", f"=({draw(_expr())})"]))
            fname = draw(st.sampled_from(["f", "get_vllm_version", "get_version", n]))
            out.append(f"{pad}def {fname}({params}{default if params else ''}):")
            out += draw(_block(indent + 1, depth + 1))
        elif kind == 10:
            out.append(f"{pad}class {draw(st.sampled_from(['C', 'Build']))}:")
            out += draw(_block(indent + 1, depth + 1))
        elif kind == 11:
            out.append(f"{pad}for {n} in {draw(_expr())}:")
            out += draw(_block(indent + 1, depth + 1))
        elif kind == 12:
            out.append(f"{pad}try:")
            out += draw(_block(indent + 1, depth + 1))
            out.append(f"{pad}except ImportError as {n}:")
            out += draw(_block(indent + 1, depth + 1))
        else:
            out.append(f"{pad}with {draw(_expr())} as {n}:")
            out += draw(_block(indent + 1, depth + 1))
    return out


def _compiles(text: str) -> bool:
    try:
        compile(text, "setup.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


_HEADERS = st.lists(st.sampled_from(IMPORTS[:5] + ["import os"] * 3), max_size=3).map(
    lambda imports: [i.format(n="scm") for i in imports]
)

#: whole programs that Python compiles, most of them importing os and setuptools-scm first
setup_py_programs = st.builds(
    lambda head, body: "\n".join(head + body) + "\n", _HEADERS, _block(0, 0)
).filter(_compiles)
