"""scripts/vendor_assets.py: integrity checks, GOV.UK branding removal, and what it vendored."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import urllib.error
from pathlib import Path
from typing import Any

import pytest

from script_modules import load_script

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "vendor_assets.py"
VENDOR_DIR = REPO / "src" / "ilacs" / "web" / "static" / "vendor"
MANIFEST = VENDOR_DIR / "VENDORED.json"
SRI_SHA512 = re.compile(r"^sha512-[A-Za-z0-9+/]{86}==$")


va = load_script(SCRIPT)
css_branding = sys.modules["css_branding"]  # the script's CSS step, imported by it

SAMPLE_CSS = """@charset "UTF-8";
/*! Copyright (c) 2011 by Margaret Calvert & Henrik Kubel. */
@font-face{font-family:"GDS Transport";font-style:normal;font-weight:400;
  src:url(/assets/fonts/light-94a07e06a1-v2.woff2) format("woff2")}
@font-face{font-family:GDS Transport;font-weight:700;src:url(/assets/fonts/bold.woff2)}
.govuk-body{font-family:GDS Transport,arial,sans-serif;color:#0b0c0c}
.govuk-link{font-family: "GDS Transport", arial, sans-serif}
.govuk-tag{font:700 16px/1.25 'GDS Transport',arial,sans-serif}
.govuk-heading{font-family:GDS Transport}
@media print{.govuk-body{font-family:sans-serif}
  .govuk-caption{font-family:GDS Transport,arial,sans-serif}}
.govuk-footer__crown{margin-bottom:25px}
.govuk-footer__meta,.govuk-footer__crown{display:flex}
.govuk-footer__copyright-logo:before{content:"";background-image:url(/assets/images/govuk-crest.svg)}
@supports (mask-position:initial){
  .govuk-footer__copyright-logo:before{mask-image:url("/assets/images/govuk-crest.svg")}}
.govuk-input[placeholder="a{b};c"]{color:red}
/*# sourceMappingURL=govuk-frontend.min.css.map */
"""


@pytest.fixture(scope="module")
def stripped() -> str:
    result: str = va.strip_reserved_branding(SAMPLE_CSS)
    return result


# ------------------------------------------------------------------ branding removal


def test_gds_transport_font_faces_and_stacks_are_removed(stripped: str) -> None:
    assert "GDS Transport" not in stripped
    assert "@font-face" not in stripped
    assert "/assets/fonts/" not in stripped
    assert ".govuk-body{font-family:arial,sans-serif;color:#0b0c0c}" in stripped
    assert ".govuk-link{font-family: arial, sans-serif}" in stripped
    assert ".govuk-tag{font:700 16px/1.25 arial,sans-serif}" in stripped
    assert ".govuk-heading{font-family:arial,sans-serif}" in stripped
    assert ("@media print{.govuk-body{font-family:sans-serif}"
            ".govuk-caption{font-family:arial,sans-serif}}") in stripped


def test_crown_and_crest_rules_are_removed_and_the_rest_kept(stripped: str) -> None:
    assert "crown" not in stripped.lower() and "crest" not in stripped.lower()
    assert css_branding.css_urls(stripped) == []
    assert "@supports" not in stripped  # emptied, so dropped
    assert ".govuk-footer__meta{display:flex}" in stripped  # sibling selector kept
    assert '.govuk-input[placeholder="a{b};c"]{color:red}' in stripped
    assert stripped.startswith('@charset "UTF-8";')


def test_comments_are_removed(stripped: str) -> None:
    assert "/*" not in stripped
    assert "Calvert" not in stripped and "sourceMappingURL" not in stripped


@pytest.mark.parametrize("css", [
    '.govuk-thing{--label:"crown"}',
    '@import url("/assets/images/govuk-crown.css");',
    "@keyframes crest-spin{from{opacity:0}to{opacity:1}}",
])
def test_leftover_reserved_branding_raises(css: str) -> None:
    with pytest.raises(va.ReservedBrandingError):
        va.strip_reserved_branding(css)


def test_css_without_branding_is_unchanged() -> None:
    css = ('@charset "UTF-8";.a,.b:is(.c,.d){color:red}@media (min-width:40em)'
           '{.a{margin:0}}.govuk-\\!-width-full{width:100%!important}')
    assert va.strip_reserved_branding(css) == css


def test_urls_must_name_files_vendored_alongside() -> None:
    css = '.a{background:url(tick.svg)}.b{background:url("cross.svg")}'
    va.assert_urls_are_vendored(css, {"tick.svg", "cross.svg"})
    with pytest.raises(va.VendorError, match="cross.svg"):
        va.assert_urls_are_vendored(css, {"tick.svg"})
    with pytest.raises(va.VendorError, match="data:"):
        va.assert_urls_are_vendored(".a{background:url(data:image/png;base64,AAAA)}", set())


def test_javascript_with_the_crown_is_refused() -> None:
    assert va.checked_free_of_branding(b"export{initAll};", frozenset()) == b"export{initAll};"
    with pytest.raises(va.ReservedBrandingError):
        va.checked_free_of_branding(b'el.className="govuk-footer__crown"', frozenset())


# ------------------------------------------------------------------------ integrity

ABC_SRI = ("sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4q"
           "mslPpUyknw==")


def test_sha512_integrity_is_the_sri_string() -> None:
    assert va.sha512_integrity(b"abc") == ABC_SRI
    digest = base64.b64encode(hashlib.sha512(b"ilacs").digest()).decode()
    assert va.sha512_integrity(b"ilacs") == f"sha512-{digest}"


def test_verify_integrity_accepts_a_match() -> None:
    va.verify_integrity(b"abc", ABC_SRI, "test")
    va.verify_integrity(b"abc", f"sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0= {ABC_SRI}?x", "test")


def test_verify_integrity_rejects_a_mismatch() -> None:
    with pytest.raises(va.IntegrityError, match="mismatch"):
        va.verify_integrity(b"abd", ABC_SRI, "govuk-frontend 6.6.0 tarball")


def test_verify_integrity_rejects_an_integrity_without_sha512() -> None:
    with pytest.raises(va.IntegrityError, match="no sha512"):
        va.verify_integrity(b"abc", "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", "test")


# --------------------------------------------------------------- idempotence, errors


def _fake_fetched(package: Any) -> Any:
    files = {"govuk-frontend.min.css": b".a{color:red}", "LICENSE.txt": b"MIT"}
    return va.FetchedPackage(package, "https://registry.npmjs.org/x.tgz", "MIT", files,
                             {name: name for name in files})


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the network was used")


def test_an_up_to_date_vendor_folder_is_left_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = va.PACKAGES[0]
    va.write_vendored(tmp_path, [_fake_fetched(package)])
    monkeypatch.setattr(va, "fetch_package", _refuse_network)
    assert "up to date" in va.vendor(tmp_path, [package], force=False)
    assert va.is_up_to_date(tmp_path, [package])


def test_a_changed_pin_or_missing_file_is_not_up_to_date(tmp_path: Path) -> None:
    package = va.PACKAGES[0]
    va.write_vendored(tmp_path, [_fake_fetched(package)])
    newer = va.PinnedPackage(package.name, "99.0.0", package.integrity, package.files,
                             package.license_files, package.license_fallback)
    assert not va.is_up_to_date(tmp_path, [newer])
    (tmp_path / package.name / "LICENSE.txt").unlink()
    assert not va.is_up_to_date(tmp_path, [package])


def test_a_network_failure_is_one_line_naming_package_and_url(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(va.urllib.request, "urlopen", unreachable)
    monkeypatch.setattr(va, "VENDOR_DIR", tmp_path)
    assert va.main(["--force"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "govuk-frontend" in error and "https://registry.npmjs.org/govuk-frontend/" in error
    assert not (tmp_path / "VENDORED.json").exists()


# ----------------------------------------------------------- what was vendored, if any


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    if not MANIFEST.is_file():
        pytest.skip(f"{MANIFEST} not found: run scripts/vendor_assets.py to check the vendored "
                    "assets")
    loaded: dict[str, Any] = json.loads(MANIFEST.read_text("utf-8"))
    return loaded


def test_vendored_files_exist_as_recorded(manifest: dict[str, Any]) -> None:
    packages = {entry["package"]: entry for entry in manifest["packages"]}
    assert {"govuk-frontend", "axe-core"} <= set(packages)
    for entry in packages.values():
        assert SRI_SHA512.match(entry["integrity"]), entry["integrity"]
        assert len(base64.b64decode(entry["integrity"].removeprefix("sha512-"))) == 64
        assert entry["tarball"].startswith("https://registry.npmjs.org/")
        for file in entry["files"]:
            content = (VENDOR_DIR / file["path"]).read_bytes()
            assert len(content) == file["bytes"]
            assert hashlib.sha256(content).hexdigest() == file["sha256"], file["path"]
    names = {file["path"] for entry in packages.values() for file in entry["files"]}
    assert {"govuk-frontend/govuk-frontend.min.css", "govuk-frontend/govuk-frontend.min.js",
            "govuk-frontend/LICENSE.txt", "axe-core/axe.min.js", "axe-core/LICENSE"} <= names


def test_vendored_css_has_no_reserved_branding(manifest: dict[str, Any]) -> None:
    css = (VENDOR_DIR / "govuk-frontend" / "govuk-frontend.min.css").read_text("utf-8")
    assert "GDS Transport" not in css
    assert "crown" not in css.lower() and "crest" not in css.lower()
    alongside = {path.name for path in (VENDOR_DIR / "govuk-frontend").iterdir()}
    assert set(css_branding.css_urls(css)) <= alongside
    assert ".govuk-template" in css and ".govuk-width-container" in css


def test_no_fonts_or_images_are_vendored(manifest: dict[str, Any]) -> None:
    suffixes = {path.suffix for path in VENDOR_DIR.rglob("*") if path.is_file()}
    assert not suffixes & {".woff", ".woff2", ".svg", ".png", ".ico"}
