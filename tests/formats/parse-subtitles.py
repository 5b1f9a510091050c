#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Reads an SRT or WebVTT file with Debian's python3-srt / python3-webvtt and
# prints one JSON object per cue: start and end in milliseconds, the text as
# the library gives it (voice span and entities taken off for WebVTT).
import html
import json
import re
import sys


def ms_of_timedelta(td):
    return td.days * 86400000 + td.seconds * 1000 + td.microseconds // 1000


def ms_of_vtt(stamp):
    h, m, s = stamp.split(":") if stamp.count(":") == 2 else ("0",) + tuple(stamp.split(":"))
    sec, milli = s.split(".")
    return ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + int(milli)


path = sys.argv[1]
cues = []
if path.endswith(".srt"):
    import srt

    with open(path, encoding="utf-8") as f:
        for sub in srt.parse(f.read()):
            cues.append({"start": ms_of_timedelta(sub.start), "end": ms_of_timedelta(sub.end),
                         "text": sub.content})
else:
    import webvtt

    for caption in webvtt.read(path):
        voice = re.match(r"<v[ .]([^>]*)>", caption.raw_text)
        text = html.unescape(re.sub(r"<[^>]*>", "", caption.text))
        cues.append({"start": ms_of_vtt(caption.start), "end": ms_of_vtt(caption.end),
                     "text": text, "voice": voice.group(1) if voice else None})
for cue in cues:
    print(json.dumps(cue))
