#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks flatpak/io.github.fairlabel.Fairlabel.json (TAP): it cannot be built here without
the GNOME runtime, so this checks what a build would rely on: app id, runtime, command,
sandbox permissions, the codec extension and the module that builds this tree."""
import json
import os
import re
import sys

APP_ID = "io.github.fairlabel.Fairlabel"
# What a networked app that plays audio needs, and nothing broader.
FINISH_ARGS = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--socket=pulseaudio",
    "--device=dri",
}
# The freedesktop SDK each GNOME runtime is built on: the ffmpeg-full extension must match it.
FREEDESKTOP_BASE = {47: "24.08", 48: "24.08", 49: "25.08", 50: "25.08"}
# Already in org.gnome.Platform (or its freedesktop base): never rebuilt in the manifest.
RUNTIME_LIBRARIES = {"gtk", "gtk4", "libadwaita", "libsoup", "libsoup3", "json-glib",
                     "gstreamer", "gst-plugins-base", "gst-plugins-good", "libsecret",
                     "libxml2", "sqlite", "sqlite3", "glib"}

results = []


def check(name, ok, why=""):
    results.append((name, bool(ok), why))


def main():
    top = os.environ.get("FAIRLABEL_SOURCE_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    path = os.path.join(top, "flatpak", APP_ID + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        ok = isinstance(m, dict)
        check("flatpak manifest parses as a JSON object", ok, type(m).__name__)
    except (OSError, ValueError) as e:
        check("flatpak manifest parses as a JSON object", False, e)
        ok = False
    if not ok:
        return

    check("flatpak manifest names the app id", m.get("id", m.get("app-id")) == APP_ID,
          m.get("id", m.get("app-id")))
    with open(os.path.join(top, "meson.build"), encoding="utf-8") as f:
        root_meson = f.read()
    check("flatpak app id is the one meson.build builds",
          re.search(r"app_id\s*=\s*'" + re.escape(APP_ID) + "'", root_meson), APP_ID)

    version = str(m.get("runtime-version", ""))
    major = int(version) if version.isdigit() else None
    check("flatpak runtime is org.gnome.Platform 47 or newer with its SDK",
          m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk"
          and major is not None and major >= 47,
          f"{m.get('runtime')} {version}, sdk {m.get('sdk')}")

    check("flatpak command is fairlabel", m.get("command") == "fairlabel", m.get("command"))
    app_meson = os.path.join(top, "src", "app", "meson.build")
    with open(app_meson, encoding="utf-8") as f:
        check("fairlabel is an executable the app's meson.build installs",
              re.search(r"executable\(\s*'fairlabel'", f.read()), app_meson)

    args = m.get("finish-args", [])
    check("flatpak finish-args are exactly network, wayland, fallback-x11, pulseaudio, dri",
          set(args) == FINISH_ARGS and len(args) == len(FINISH_ARGS),
          f"extra {sorted(set(args) - FINISH_ARGS)}, missing {sorted(FINISH_ARGS - set(args))}"
          f", {len(args)} entries")

    ext = m.get("add-extensions", {}).get("org.freedesktop.Platform.ffmpeg-full")
    want = FREEDESKTOP_BASE.get(major)
    check("flatpak declares the ffmpeg-full extension for the runtime's freedesktop base",
          isinstance(ext, dict) and ext.get("directory") == "lib/ffmpeg"
          and ext.get("version") == want and "add-ld-path" in ext,
          f"{ext}, want version {want}")
    check("flatpak creates the extension's mount point",
          any("/app/lib/ffmpeg" in c for c in m.get("cleanup-commands", [])),
          m.get("cleanup-commands"))

    modules = m.get("modules", [])
    check("flatpak has modules", isinstance(modules, list) and modules, modules)
    if not modules:
        return
    names = [mod.get("name", "") if isinstance(mod, dict) else str(mod) for mod in modules]
    check("flatpak rebuilds nothing the GNOME runtime already has",
          not (set(n.lower() for n in names) & RUNTIME_LIBRARIES), names)
    last = modules[-1] if isinstance(modules[-1], dict) else {}
    sources = last.get("sources", [])
    dirs = [s for s in sources if isinstance(s, dict) and s.get("type") == "dir"]
    check("flatpak's last module builds fairlabel with meson",
          last.get("name") == "fairlabel" and last.get("buildsystem") == "meson", last)
    ok = len(dirs) == 1 and dirs[0].get("path") == ".."
    project_root = os.path.normpath(os.path.join(top, "flatpak", dirs[0]["path"])) if ok else ""
    check("flatpak builds this source tree (a dir source one level up)",
          ok and os.path.samefile(project_root, top)
          and re.search(r"project\(\s*'fairlabel'", root_meson), sources)
    opts = last.get("config-opts", [])
    check("flatpak builds the stable flavour", "-Ddevelopment=true" not in opts, opts)


if __name__ == "__main__":
    main()
    print(f"1..{len(results)}")
    for i, (name, ok, why) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        if not ok:
            for line in str(why).splitlines():
                print(f"# {line}")
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
