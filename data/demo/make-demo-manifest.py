#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes demo.json from demo-projects.json and the generated demo content.

A task may say "pre_annotation_from": [FILE] or [FILE, KEY]; its pre-annotation is then that
JSON file (or the KEY member of it) from the build folder, as produced by fl-make-demo-images
(annotations.json) or make-demo-audio.sh (NAME.segments.json). Every asset must exist.

Usage: make-demo-manifest.py TEMPLATE DEMO-BUILD-FOLDER OUTPUT
"""
import json
import os
import sys

# Boxes smaller than this (in pixels) are left out, as a real detector misses them; the
# instructions ask workers to add what the detector missed.
DETECTOR_MIN_AREA = 24 * 24


def fail(message):
    sys.exit(f"make-demo-manifest: {message}")


def load_pre_annotation(folder, source):
    path = os.path.join(folder, source[0])
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")
    if len(source) > 1:
        if source[1] not in doc:
            fail(f"{path} has no entry {source[1]}")
        doc = doc[source[1]]
    if doc.get("kind") == "image":
        doc["shapes"] = [
            s
            for s in doc["shapes"]
            if s["type"] != "box" or s["width"] * s["height"] >= DETECTOR_MIN_AREA
        ]
    return doc


def main():
    if len(sys.argv) != 4:
        fail("usage: make-demo-manifest.py TEMPLATE DEMO-BUILD-FOLDER OUTPUT")
    template, folder, output = sys.argv[1:]
    with open(template, encoding="utf-8") as f:
        manifest = json.load(f)

    for project in manifest["projects"]:
        for task in project["tasks"]:
            for asset in task["assets"]:
                path = os.path.join(folder, asset)
                if not os.path.isfile(path) or os.path.getsize(path) == 0:
                    fail(f"project {project['title']!r}: asset {asset} is missing or empty")
            source = task.pop("pre_annotation_from", None)
            if source is not None:
                task["pre_annotation"] = load_pre_annotation(folder, source)
            task.setdefault("pre_annotation", None)
            task.setdefault("data", {})

    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, output)


if __name__ == "__main__":
    main()
