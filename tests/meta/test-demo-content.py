#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the demo content the build made in $FAIRLABEL_BUILD_DIR/data/demo (TAP).

demo.json has the shape `fairlabel-server --demo` reads; every asset it names exists, images
decode (gdk-pixbuf) at the size their pre-annotation states, audio decodes (gst-discoverer-1.0)
to a 15-60 s clip, and pre-annotations are valid result JSON that fits inside their asset.
"""
import json
import os
import re
import subprocess
import sys
from decimal import Decimal, InvalidOperation

try:
    import gi

    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf, GLib
except (ImportError, ValueError) as e:
    print(f"Bail out! cannot load GdkPixbuf through python3-gi: {e}")
    sys.exit(1)

# ISO 4217 minor-unit exponents of the currencies the demo may use.
EXPONENTS = {"USD": 2, "EUR": 2, "KES": 2, "INR": 2, "PHP": 2, "GBP": 2, "JPY": 0}
TARGET_USD_PER_HOUR = Decimal(15)
IMAGE_SIZE = (1280, 853)
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

results = []


def check(name, ok, why=""):
    results.append((name, bool(ok), why))
    return ok


def finish():
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, ok, why) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok:
            failed += 1
            for line in str(why).splitlines():
                print(f"# {line}")
    sys.exit(1 if failed else 0)


def check_label_config(title, kind, config):
    problems = []
    if not isinstance(config, dict):
        return ["label_config is not an object"]
    classes = config.get("classes", [])
    hotkeys = [c.get("hotkey") for c in classes if "hotkey" in c]
    names = [c.get("name") for c in classes]
    if len(set(hotkeys)) != len(hotkeys):
        problems.append(f"hotkeys repeat: {hotkeys}")
    if len(set(names)) != len(names):
        problems.append(f"class names repeat: {names}")
    for c in classes:
        if not isinstance(c.get("name"), str) or not c["name"]:
            problems.append(f"class without a name: {c}")
        if not COLOR.match(str(c.get("color", ""))):
            problems.append(f"class {c.get('name')} has colour {c.get('color')!r}")
        for a in c.get("attributes", []):
            if a.get("type") != "bool" or not a.get("name"):
                problems.append(f"class {c.get('name')} has attribute {a}")
    for sp in config.get("speakers", []):
        if not sp.get("name") or not COLOR.match(str(sp.get("color", ""))):
            problems.append(f"speaker {sp}")
    if not all(isinstance(t, str) and t for t in config.get("tags", [])):
        problems.append(f"tags {config.get('tags')}")
    if kind == "image" and not classes:
        problems.append("an image project without classes")
    if kind == "audio" and not config.get("speakers"):
        problems.append("an audio project without speakers")
    return problems


def discover(path):
    """Duration in seconds from gst-discoverer-1.0, or raises with its output."""
    proc = subprocess.run(
        ["gst-discoverer-1.0", "-t", "20", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = proc.stdout + proc.stderr
    m = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", out)
    if proc.returncode != 0 or not re.search(r"^\s*audio #\d+:", out, re.M) or m is None:
        raise RuntimeError(out)
    h, mnt, sec = m.groups()
    return int(h) * 3600 + int(mnt) * 60 + float(sec)


def check_image_pre(where, pre, config, width, height):
    problems = []
    if pre.get("kind") != "image":
        problems.append(f"kind {pre.get('kind')!r}")
    if pre.get("image") != {"width": width, "height": height}:
        problems.append(f"image {pre.get('image')} but the file is {width}x{height}")
    classes = {c["name"] for c in config.get("classes", [])}
    ids = [s.get("id") for s in pre.get("shapes", [])]
    if len(set(ids)) != len(ids):
        problems.append("shape ids repeat")
    if not pre.get("shapes"):
        problems.append("no shapes")

    def inside(x, y):
        return 0 <= x <= width and 0 <= y <= height

    for s in pre.get("shapes", []):
        if s.get("label") not in classes:
            problems.append(f"{s.get('id')}: label {s.get('label')!r} is not a class")
        t = s.get("type")
        if t == "box":
            if not (s["width"] > 0 and s["height"] > 0 and inside(s["x"], s["y"])
                    and inside(s["x"] + s["width"], s["y"] + s["height"])):
                problems.append(f"{s['id']}: box outside the image or empty: {s}")
        elif t == "point":
            if not inside(s["x"], s["y"]):
                problems.append(f"{s['id']}: point outside the image")
        elif t == "polygon":
            pts = s.get("points", [])
            if len(pts) < 3 or not all(len(p) == 2 and inside(*p) for p in pts):
                problems.append(f"{s['id']}: polygon with {len(pts)} points or outside")
        else:
            problems.append(f"{s.get('id')}: unknown type {t!r}")
    tags = set(config.get("tags", []))
    if not set(pre.get("tags", [])) <= tags:
        problems.append(f"tags {pre.get('tags')} not all in {sorted(tags)}")
    return problems


def check_audio_pre(where, pre, config, duration):
    problems = []
    if pre.get("kind") != "audio":
        problems.append(f"kind {pre.get('kind')!r}")
    if abs(pre.get("duration", -1) - duration) > 0.25:
        problems.append(f"duration {pre.get('duration')} but the clip lasts {duration:.3f} s")
    speakers = {s["name"] for s in config.get("speakers", [])}
    previous_end = 0.0
    segments = pre.get("segments", [])
    if len(segments) < 2:
        problems.append("fewer than two segments")
    for i, seg in enumerate(segments):
        start, end = seg.get("start"), seg.get("end")
        if not (isinstance(start, (int, float)) and isinstance(end, (int, float))):
            problems.append(f"segment {i}: start/end are not numbers")
            continue
        if not (0 <= start < end <= duration):
            problems.append(f"segment {i}: {start}-{end} is not inside 0-{duration:.3f}")
        if start < previous_end:
            problems.append(f"segment {i} starts at {start}, before the last one ended")
        if round(start, 3) != start or round(end, 3) != end:
            problems.append(f"segment {i}: more than millisecond precision")
        previous_end = end
        if seg.get("speaker") not in speakers:
            problems.append(f"segment {i}: speaker {seg.get('speaker')!r}")
        if not isinstance(seg.get("text"), str) or not seg["text"].strip():
            problems.append(f"segment {i}: no text")
    return problems


def main():
    build = os.environ.get("FAIRLABEL_BUILD_DIR")
    if not build:
        print("1..0 # SKIP FAIRLABEL_BUILD_DIR is not set")
        return
    demo = os.path.join(build, "data", "demo")
    manifest_path = os.path.join(demo, "demo.json")

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        check("demo.json parses as JSON", True)
    except (OSError, ValueError) as e:
        check("demo.json parses as JSON", False, e)
        finish()

    projects = manifest.get("projects") if isinstance(manifest, dict) else None
    check("demo.json has a list of projects", isinstance(projects, list) and projects,
          f"projects is {type(projects).__name__}")
    if not isinstance(projects, list):
        finish()
    kinds = [p.get("kind") for p in projects]
    check("demo has at least 3 image and 2 audio projects",
          kinds.count("image") >= 3 and kinds.count("audio") >= 2, f"kinds {kinds}")

    keys = {"kind", "title", "instructions", "label_config", "reward", "currency",
            "estimate_seconds", "lease_seconds", "auto_approve_seconds",
            "assignments_per_task", "tasks"}
    usd_rates, currencies = [], set()
    durations = {}
    for p in projects:
        title = p.get("title", "?")
        problems = []
        if set(p) != keys:
            problems.append(f"keys differ: missing {sorted(keys - set(p))}, "
                            f"unexpected {sorted(set(p) - keys)}")
        if p.get("kind") not in ("image", "audio"):
            problems.append(f"kind {p.get('kind')!r}")
        if not (isinstance(p.get("title"), str) and p["title"]
                and isinstance(p.get("instructions"), str) and len(p["instructions"]) > 40):
            problems.append("title or instructions missing or too short")
        for k in ("estimate_seconds", "lease_seconds", "auto_approve_seconds",
                  "assignments_per_task"):
            if not (isinstance(p.get(k), int) and not isinstance(p.get(k), bool) and p[k] > 0):
                problems.append(f"{k} is {p.get(k)!r}")
        if isinstance(p.get("estimate_seconds"), int) and isinstance(p.get("lease_seconds"), int):
            if p["lease_seconds"] < 2 * p["estimate_seconds"]:
                problems.append("lease is shorter than twice the estimate")
        currency = p.get("currency")
        exponent = EXPONENTS.get(currency)
        try:
            reward = Decimal(p.get("reward"))
            if exponent is None:
                problems.append(f"currency {currency!r}")
            elif reward <= 0 or reward.as_tuple().exponent != -exponent:
                problems.append(f"reward {p.get('reward')!r} is not a positive amount with "
                                f"{exponent} decimals")
            elif isinstance(p.get("estimate_seconds"), int):
                currencies.add(currency)
                if currency == "USD":
                    usd_rates.append(reward * 3600 / p["estimate_seconds"])
        except (InvalidOperation, TypeError):
            problems.append(f"reward {p.get('reward')!r} is not a decimal string")
        problems += check_label_config(title, p.get("kind"), p.get("label_config"))
        tasks = p.get("tasks")
        if not isinstance(tasks, list) or not tasks:
            problems.append("no tasks")
        for t in tasks or []:
            if set(t) != {"assets", "pre_annotation", "data"}:
                problems.append(f"task keys {sorted(t)}")
            if not isinstance(t.get("data"), dict):
                problems.append("task data is not an object")
            if not (isinstance(t.get("assets"), list) and len(t["assets"]) == 1):
                problems.append(f"task assets {t.get('assets')}")
        check(f"project '{title}' has the manifest shape", not problems, "\n".join(problems))

    check("demo rewards come in more than one currency", len(currencies) > 1, currencies)
    check("demo USD projects pay both above and below $15/h",
          any(r >= TARGET_USD_PER_HOUR for r in usd_rates)
          and any(r < TARGET_USD_PER_HOUR for r in usd_rates), usd_rates)

    for p in projects:
        for t in p.get("tasks", []):
            for asset in t.get("assets", []):
                path = os.path.normpath(os.path.join(demo, asset))
                if not path.startswith(demo + os.sep):
                    check(f"asset {asset} stays inside the demo folder", False, path)
                    continue
                if not check(f"asset {asset} exists and is not empty",
                             os.path.isfile(path) and os.path.getsize(path) > 0, path):
                    continue
                if p.get("kind") == "image":
                    name = f"image {asset} decodes whole at {IMAGE_SIZE[0]}x{IMAGE_SIZE[1]}"
                    try:
                        pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
                        size = (pixbuf.get_width(), pixbuf.get_height())
                    except GLib.Error as e:
                        check(name, False, e.message)
                        continue
                    # gdk-pixbuf pads a cut-off JPEG with grey instead of failing
                    with open(path, "rb") as f:
                        f.seek(-12, os.SEEK_END)
                        tail = f.read()
                    whole = tail.endswith(b"\xff\xd9") or tail[4:8] == b"IEND"
                    check(name, size == IMAGE_SIZE and whole,
                          f"decoded at {size}, {'complete' if whole else 'truncated'} file")
                    if t.get("pre_annotation") is not None:
                        problems = check_image_pre(asset, t["pre_annotation"],
                                                   p["label_config"], *size)
                        check(f"pre-annotation of {asset} is image result JSON inside the image",
                              not problems, "\n".join(problems))
                else:
                    try:
                        durations[asset] = discover(path)
                        check(f"audio {asset} decodes and lasts 15-60 s",
                              15 <= durations[asset] <= 60, f"{durations[asset]:.3f} s")
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        check(f"audio {asset} decodes and lasts 15-60 s", False, e)
                        continue
                    if t.get("pre_annotation") is not None:
                        problems = check_audio_pre(asset, t["pre_annotation"],
                                                   p["label_config"], durations[asset])
                        check(f"pre-segmentation of {asset} lies within the clip",
                              not problems, "\n".join(problems))

    pre_kinds = {p.get("kind") for p in projects for t in p.get("tasks", [])
                 if t.get("pre_annotation") is not None}
    check("demo has pre-annotated image and audio tasks", pre_kinds == {"image", "audio"},
          pre_kinds)
    finish()


if __name__ == "__main__":
    main()
