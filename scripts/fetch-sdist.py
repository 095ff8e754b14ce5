#!/usr/bin/env python3
"""Downloads and unpacks a pinned source distribution from PyPI, for the C-extension
tests: `fetch-sdist.py NAME VERSION DIR` leaves the unpacked tree in DIR/NAME-VERSION
(cached: nothing is fetched if it is already there) and prints its path.

It reads PyPI's simple repository API and fetches the sdist file directly, checking its SHA-256:
`pip download --no-binary` would also run the package's build backend just to read
metadata, which fails for some packages on machines without their build tools."""
import hashlib, json, os, sys, tarfile, urllib.request, zipfile

def main():
    name, version, dest = sys.argv[1:4]
    os.makedirs(dest, exist_ok=True)
    # The simple repository API (PEP 691, JSON form).
    req = urllib.request.Request(
        f"https://pypi.org/simple/{name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        files = json.load(r)["files"]
    want = [f"{name}-{version}.tar.gz", f"{name.replace('-', '_')}-{version}.tar.gz",
            f"{name}-{version}.zip"]
    sdists = [f for f in files if f["filename"].lower() in [w.lower() for w in want]]
    if not sdists:
        sys.exit(f"fetch-sdist: {name} {version} has no sdist on PyPI")
    u = dict(sdists[0], digests=sdists[0]["hashes"])
    archive = os.path.join(dest, u["filename"])
    if not os.path.exists(archive):
        with urllib.request.urlopen(u["url"], timeout=120) as r:
            data = r.read()
        if hashlib.sha256(data).hexdigest() != u["digests"]["sha256"]:
            sys.exit(f"fetch-sdist: checksum mismatch for {u['filename']}")
        with open(archive + ".part", "wb") as f:
            f.write(data)
        os.replace(archive + ".part", archive)
    if archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            top = z.namelist()[0].split("/")[0]
            if not os.path.isdir(os.path.join(dest, top)):
                z.extractall(dest)
    else:
        with tarfile.open(archive) as t:
            top = t.getnames()[0].split("/")[0]
            if not os.path.isdir(os.path.join(dest, top)):
                t.extractall(dest, filter="data")
    print(os.path.join(dest, top))

main()
