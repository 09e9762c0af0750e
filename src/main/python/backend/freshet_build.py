"""A PEP 517 build backend for the freshet package, standard library only.

`pip install src/main/python` builds a wheel in an isolated environment, into which it would
install the backend named in pyproject.toml. Setuptools would have to come from a package index;
this module needs none, so the install works offline. It builds a pure-Python wheel of the
`freshet` package, an sdist, and an editable install (a .pth file pointing at this directory).
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "freshet"


def _project():
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib

        return tomllib.loads(text)["project"]
    except ImportError:
        # Before Python 3.11: the few scalar fields this backend reads, from the [project] table.
        table = text.split("[project]", 1)[1].split("\n[", 1)[0]
        fields = dict(re.findall(r'^([a-z-]+)\s*=\s*"([^"]*)"', table, re.M))
        return fields


def _metadata():
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
        "Summary: " + project.get("description", ""),
        "Requires-Python: " + project.get("requires-python", ">=3.9"),
        "Provides-Extra: pandas",
        "Requires-Dist: pandas>=1.3; extra == 'pandas'",
    ]
    return project["name"], project["version"], "\n".join(lines) + "\n"


def _sources():
    for folder, _, files in sorted(os.walk(os.path.join(ROOT, PACKAGE))):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                yield path, os.path.relpath(path, ROOT).replace(os.sep, "/")


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def _wheel(wheel_directory, files):
    name, version, metadata = _metadata()
    dist_info = "%s-%s.dist-info" % (name, version)
    wheel_name = "%s-%s-py3-none-any.whl" % (name, version)
    files = list(files) + [
        (dist_info + "/METADATA", metadata.encode()),
        (
            dist_info + "/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: freshet_build\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n",
        ),
    ]
    record = [_record_line(path, data) for path, data in files] + [dist_info + "/RECORD,,"]
    files.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            z.writestr(path, data)
    return wheel_name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = []
    for path, arcname in _sources():
        with open(path, "rb") as f:
            files.append((arcname, f.read()))
    return _wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, [("freshet.pth", (ROOT + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    name, version, metadata = _metadata()
    base = "%s-%s" % (name, version)
    archive = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, archive), "w:gz") as tar:
        extra = ["pyproject.toml", "README.md", os.path.join("backend", "freshet_build.py")]
        for path in extra + [p for p, _ in _sources()]:
            full = os.path.join(ROOT, path)
            tar.add(full, arcname=base + "/" + os.path.relpath(full, ROOT).replace(os.sep, "/"))
        info = tarfile.TarInfo(base + "/PKG-INFO")
        data = metadata.encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return archive
