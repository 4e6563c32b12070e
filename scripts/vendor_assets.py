#!/usr/bin/env python3
"""Vendor the web dashboard's front-end assets from the npm registry, for offline serving.

    python scripts/vendor_assets.py [--force]

Writes src/ilacs/web/static/vendor/ (not committed):

- govuk-frontend/govuk-frontend.min.css: GOV.UK Frontend's compiled CSS with the GOV.UK
  branding that only government services may use taken out (see `strip_reserved_branding`):
  the GDS Transport @font-face rules and font stacks (text falls back to arial,sans-serif),
  the rules drawing the royal crest or the crown, and every comment (the typeface's copyright
  notice and a source-map pointer to a file not vendored).
- govuk-frontend/govuk-frontend.min.js: the ES module bundle, as published.
- axe-core/axe.min.js: the accessibility checker the browser tests inject.
- each package's licence next to its files, and VENDORED.json: what was vendored from where.

Only the npm registry is contacted (no node or npm needed, no CDN at run time). Each tarball
is checked against the sha512 integrity pinned below, which must also be what the registry
publishes. If VENDORED.json already records the pinned versions, this script and every file,
nothing is downloaded; --force redoes it. Standard library only, so it runs before the
virtual environment has anything installed. Exits 1 with one line on stderr on failure.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, when loaded by path
from css_branding import (  # noqa: E402
    ReservedBrandingError,
    VendorError,
    assert_urls_are_vendored,
    reserved_words_in,
    strip_reserved_branding,
)

# ---------------------------------------------------------------------------------------------
# Pinned packages. To upgrade one:
#   1. find the version: `npm view govuk-frontend version` (latest) or `npm view axe-core@4
#      version`, or read "dist-tags" at https://registry.npmjs.org/<package>;
#   2. find its integrity: `npm view govuk-frontend@<version> dist.integrity`, or "integrity"
#      under "dist" at https://registry.npmjs.org/<package>/<version>;
#   3. change both constants, run `python scripts/vendor_assets.py` (a changed pin is picked
#      up without --force) and read what it reports. For govuk-frontend, also read the release
#      notes for changes to class names, to the template and to the branding assets: the
#      checks in `strip_reserved_branding` fail loudly if new branding reaches the CSS.
# ---------------------------------------------------------------------------------------------
GOVUK_FRONTEND_VERSION = "6.6.0"
GOVUK_FRONTEND_INTEGRITY = (
    "sha512-xctkWrQvLnvQt7fyjQ3MGX9S0wz0x0RQuLxCeoXF+s8EjGICG81/DYQGKN5qgO+0KVT12UAaRwUsGY6fulRcRg=="
)
AXE_CORE_VERSION = "4.14.1"
AXE_CORE_INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIR = ROOT / "src" / "ilacs" / "web" / "static" / "vendor"
MANIFEST_NAME = "VENDORED.json"
TIMEOUT_SECONDS = 60
USER_AGENT = "ilacs-vendor-assets (python urllib)"

# The npm tarball of govuk-frontend does not include its licence (package.json says "MIT").
# This is LICENSE.txt of https://github.com/alphagov/govuk-frontend, written in its place.
GOVUK_FRONTEND_LICENSE = """\
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


class IntegrityError(VendorError):
    """Downloaded bytes do not match the sha512 integrity they were published with."""


# A transform gets a file's bytes and the names of the files vendored beside it.
Transform = Callable[[bytes, frozenset[str]], bytes]


def unchanged(content: bytes, alongside: frozenset[str]) -> bytes:
    return content


@dataclass(frozen=True)
class VendoredFile:
    """One file taken from a package tarball (`member` is relative to the tarball's top
    folder) and written, after `transform`, under vendor/<package>/ with the same name."""

    member: str
    transform: Transform = unchanged

    @property
    def name(self) -> str:
        return self.member.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PinnedPackage:
    name: str
    version: str
    integrity: str
    files: tuple[VendoredFile, ...]
    # Licence files copied from the tarball; `license_fallback` is written as the first
    # of them when the tarball lacks it, otherwise a missing licence file is an error.
    license_files: tuple[str, ...]
    license_fallback: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


@dataclass
class FetchedPackage:
    """A package's verified tarball reduced to the files to write, by name."""

    package: PinnedPackage
    tarball_url: str
    license: str
    files: dict[str, bytes] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------- integrity


def sha512_integrity(content: bytes) -> str:
    """The Subresource Integrity string (as npm's dist.integrity) of `content`."""
    return "sha512-" + base64.b64encode(hashlib.sha512(content).digest()).decode("ascii")


def sha512_digests(integrity: str) -> list[str]:
    """The sha512 entries of an SRI string ("sha512-<base64>[?options]", space-separated)."""
    tokens = (token.split("?", 1)[0] for token in integrity.split())
    return [token for token in tokens if token.startswith("sha512-")]


def verify_integrity(content: bytes, integrity: str, what: str) -> None:
    expected = sha512_digests(integrity)
    if not expected:
        raise IntegrityError(f"{what}: no sha512 in the integrity {integrity!r}; refusing to "
                             "use an unverifiable download")
    actual = sha512_integrity(content)
    if actual not in expected:
        raise IntegrityError(f"{what}: integrity mismatch, expected {expected[0]} but the "
                             f"download is {actual}; do not use it: check for a proxy or "
                             "cache altering downloads, then run the script again")


def brand_free_css(content: bytes, alongside: frozenset[str]) -> bytes:
    css = strip_reserved_branding(content.decode("utf-8"))
    assert_urls_are_vendored(css, alongside)
    return css.encode("utf-8")


def checked_free_of_branding(content: bytes, alongside: frozenset[str]) -> bytes:
    """The content unchanged, once it is known not to embed GOV.UK branding."""
    leftovers = reserved_words_in(content.decode("utf-8"))
    if leftovers:
        raise ReservedBrandingError(f"the file mentions {', '.join(leftovers)}; check what "
                                    "it draws before vendoring it")
    return content


PACKAGES = (
    PinnedPackage(
        name="govuk-frontend",
        version=GOVUK_FRONTEND_VERSION,
        integrity=GOVUK_FRONTEND_INTEGRITY,
        files=(VendoredFile("dist/govuk/govuk-frontend.min.css", brand_free_css),
               VendoredFile("dist/govuk/govuk-frontend.min.js", checked_free_of_branding)),
        license_files=("LICENSE.txt",),
        license_fallback=GOVUK_FRONTEND_LICENSE,
    ),
    PinnedPackage(
        name="axe-core",
        version=AXE_CORE_VERSION,
        integrity=AXE_CORE_INTEGRITY,
        files=(VendoredFile("axe.min.js"),),
        license_files=("LICENSE", "LICENSE-3RD-PARTY.txt"),
    ),
)


# ------------------------------------------------------------------------------- network


def download(url: str, package: PinnedPackage, what: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            content: bytes = response.read()
            return content
    except urllib.error.HTTPError as error:
        raise VendorError(f"{package.label}: the registry answered HTTP {error.code} for the "
                          f"{what} at {url}; check the pinned version exists "
                          f"(npm view {package.name} versions)") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise VendorError(f"{package.label}: could not download the {what} from {url} "
                          f"({reason}); check the network connection or proxy, then run "
                          "scripts/vendor_assets.py again") from error


def version_metadata_url(package: PinnedPackage) -> str:
    name = urllib.parse.quote(package.name, safe="@")
    return f"{REGISTRY}/{name}/{urllib.parse.quote(package.version)}"


@dataclass(frozen=True)
class PublishedVersion:
    tarball_url: str
    license: str


def fetch_published_version(package: PinnedPackage) -> PublishedVersion:
    """The tarball URL and licence the registry publishes for the pinned version, once the
    registry's integrity for it is the pinned one."""
    url = version_metadata_url(package)
    try:
        metadata: Any = json.loads(download(url, package, "metadata"))
        tarball, integrity = metadata["dist"]["tarball"], metadata["dist"]["integrity"]
        names = (metadata["name"], metadata["version"])
        license_name = str(metadata.get("license", ""))
    except (ValueError, KeyError, TypeError) as error:
        raise VendorError(f"{package.label}: unexpected metadata at {url} ({error!r}); "
                          "check the registry URL and the pinned version") from error
    if names != (package.name, package.version):
        raise VendorError(f"{package.label}: {url} describes {names[0]} {names[1]}")
    if not isinstance(tarball, str) or not tarball.startswith("https://"):
        raise VendorError(f"{package.label}: refusing the non-https tarball {tarball!r} "
                          f"listed at {url}")
    if integrity != package.integrity:
        raise IntegrityError(f"{package.label}: the registry publishes integrity {integrity} at "
                             f"{url} but the script pins {package.integrity}; find out why "
                             "(re-published package? impersonated registry?) before changing "
                             "the pin")
    return PublishedVersion(tarball, license_name)


# ------------------------------------------------------------------------------- tarballs


def tarball_files(tarball: bytes) -> dict[str, bytes]:
    """Regular files of an npm tarball by path below its top folder (usually `package/`).
    Nothing is extracted to disk."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None and "/" in member.name:
                files[member.name.split("/", 1)[1]] = handle.read()
    return files


def select_files(package: PinnedPackage, published: PublishedVersion,
                 contents: dict[str, bytes]) -> FetchedPackage:
    tarball_url = published.tarball_url
    fetched = FetchedPackage(package, tarball_url, published.license)
    for wanted in package.files:
        if wanted.member not in contents:
            raise VendorError(f"{package.label}: {wanted.member} is not in {tarball_url}; "
                              "the package layout changed, update PACKAGES in the script")
        fetched.files[wanted.name] = contents[wanted.member]
        fetched.sources[wanted.name] = wanted.member
    add_license_files(fetched, contents)
    alongside = frozenset(fetched.files)
    for wanted in package.files:
        try:
            fetched.files[wanted.name] = wanted.transform(fetched.files[wanted.name], alongside)
        except (VendorError, UnicodeDecodeError) as error:
            raise VendorError(f"{package.label}: {wanted.member} from {tarball_url}: "
                              f"{error}") from error
    return fetched


def add_license_files(fetched: FetchedPackage, contents: dict[str, bytes]) -> None:
    package = fetched.package
    for index, member in enumerate(package.license_files):
        name = member.rsplit("/", 1)[-1]
        if member in contents:
            fetched.files[name], fetched.sources[name] = contents[member], member
        elif index == 0 and package.license_fallback is not None:
            fetched.files[name] = package.license_fallback.encode("utf-8")
            fetched.sources[name] = "(not in the tarball) license_fallback in the script"
        else:
            raise VendorError(f"{package.label}: its licence file {member} is not in "
                              f"{fetched.tarball_url}; update license_files in the script")


def fetch_package(package: PinnedPackage) -> FetchedPackage:
    published = fetch_published_version(package)
    tarball_url = published.tarball_url
    tarball = download(tarball_url, package, "tarball")
    verify_integrity(tarball, package.integrity, f"{package.label} tarball {tarball_url}")
    try:
        contents = tarball_files(tarball)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise VendorError(f"{package.label}: {tarball_url} is not a readable tarball "
                          f"({error})") from error
    return select_files(package, published, contents)


# ------------------------------------------------------------------------ manifest, output


def recipe_digest() -> str:
    """sha256 of this script and its CSS step: changing how files are processed makes the
    next run redo them."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(__file__).with_name("css_branding.py").read_bytes())
    return digest.hexdigest()


def manifest_entry(fetched: FetchedPackage) -> dict[str, object]:
    package = fetched.package
    return {
        "package": package.name,
        "version": package.version,
        "license": fetched.license,
        "tarball": fetched.tarball_url,
        "integrity": package.integrity,
        "files": [
            {"path": f"{package.name}/{name}", "source": fetched.sources[name],
             "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in sorted(fetched.files.items())
        ],
    }


def build_manifest(fetched: Sequence[FetchedPackage]) -> dict[str, object]:
    return {
        "generated_by": "scripts/vendor_assets.py",
        "script_sha256": recipe_digest(),
        "registry": REGISTRY,
        "packages": [manifest_entry(package) for package in fetched],
    }


def is_up_to_date(vendor_dir: Path, packages: Sequence[PinnedPackage]) -> bool:
    """True when VENDORED.json records this script, the pinned versions and integrities, and
    every file it lists exists with the recorded size. Reads no file contents."""
    try:
        manifest: Any = json.loads((vendor_dir / MANIFEST_NAME).read_text("utf-8"))
        recorded = {entry["package"]: entry for entry in manifest["packages"]}
        if manifest["script_sha256"] != recipe_digest():
            return False
        for package in packages:
            entry = recorded[package.name]
            if (entry["version"], entry["integrity"]) != (package.version, package.integrity):
                return False
            for file in entry["files"]:
                path = vendor_dir / file["path"]
                if not path.is_file() or path.stat().st_size != file["bytes"]:
                    return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def write_vendored(vendor_dir: Path, fetched: Sequence[FetchedPackage]) -> None:
    """Replaces each package's folder; VENDORED.json goes last, so an interrupted run is
    redone by the next one."""
    vendor_dir.mkdir(parents=True, exist_ok=True)
    (vendor_dir / MANIFEST_NAME).unlink(missing_ok=True)
    for package in fetched:
        folder = vendor_dir / package.package.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, content in package.files.items():
            (folder / name).write_bytes(content)
    manifest = json.dumps(build_manifest(fetched), indent=2, sort_keys=True) + "\n"
    staged = vendor_dir / (MANIFEST_NAME + ".tmp")
    staged.write_text(manifest, "utf-8")
    staged.replace(vendor_dir / MANIFEST_NAME)


def report(vendor_dir: Path, fetched: Sequence[FetchedPackage]) -> str:
    lines = [f"vendored into {vendor_dir}:"]
    for package in fetched:
        lines.append(f"  {package.package.label} from {package.tarball_url}")
        lines.extend(f"    {package.package.name}/{name} ({len(content):,} bytes)"
                     for name, content in sorted(package.files.items()))
    return "\n".join(lines) + "\n"


def vendor(vendor_dir: Path, packages: Sequence[PinnedPackage], force: bool) -> str:
    labels = ", ".join(package.label for package in packages)
    if not force and is_up_to_date(vendor_dir, packages):
        return f"vendored assets are up to date ({labels}); --force redoes them\n"
    fetched = [fetch_package(package) for package in packages]  # everything before writing
    write_vendored(vendor_dir, fetched)
    return report(vendor_dir, fetched)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--force", action="store_true",
                        help="download and write again even if VENDORED.json is up to date")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(vendor(VENDOR_DIR, PACKAGES, args.force))
    except VendorError as error:
        sys.stderr.write(f"vendor_assets: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
