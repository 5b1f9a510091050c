#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the demo audio: short dialogues spoken by espeak-ng voices, stitched with sox into one
# clip each (Ogg Vorbis, FLAC, WAV and MP3, so every decoder path gets used), plus for each clip
# NAME.segments.json: the audio result JSON of who said what when. For the "recogniser" clips the
# segment text is what a speech recogniser might have heard, mistakes included, so checking it is
# real work. Usage: make-demo-audio.sh OUTPUT-FOLDER
set -euo pipefail

out=${1:?usage: make-demo-audio.sh OUTPUT-FOLDER}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rate=22050

# speaker -> espeak-ng voice, words per minute, pitch
voice_of() {
  case $1 in
    A) echo "en-us+m3 160 42" ;;
    B) echo "en-gb+f3 168 62" ;;
    C) echo "en+f4 172 55" ;;
    D) echo "en-gb-scotland+m7 158 38" ;;
    *) echo "unknown speaker $1" >&2; exit 1 ;;
  esac
}

# The pause after each line, in seconds: fixed, so every build makes the same timings.
pauses=(0.45 0.7 0.38 0.9 0.55 0.62 0.4 0.8 0.5 0.66 0.42 0.75)

# make_clip NAME EXTENSION < lines of "SPEAKER|spoken text[|recognised text[|recognised speaker]]"
make_clip() {
  local name=$1 ext=$2 n=0 t=0.6 parts=() lines
  lines="$work/$name.tsv"
  : >"$lines"
  sox -R -n -r $rate -c 1 -b 16 "$work/$name-lead.wav" trim 0 0.6
  parts+=("$work/$name-lead.wav")
  while IFS='|' read -r speaker spoken heard heard_speaker; do
    [ -n "$speaker" ] || continue
    local v wpm pitch raw utt dur gap
    read -r v wpm pitch <<<"$(voice_of "$speaker")"
    raw="$work/$name-$n-raw.wav"
    utt="$work/$name-$n.wav"
    espeak-ng -v "$v" -s "$wpm" -p "$pitch" -w "$raw" "$spoken"
    # trim espeak's own leading and trailing silence so segment times are tight
    sox -R "$raw" -r $rate -c 1 -b 16 "$utt" \
      silence 1 0.02 0.4% reverse silence 1 0.02 0.4% reverse
    dur=$(soxi -D "$utt")
    gap=${pauses[$((n % ${#pauses[@]}))]}
    sox -R -n -r $rate -c 1 -b 16 "$work/$name-$n-gap.wav" trim 0 "$gap"
    parts+=("$utt" "$work/$name-$n-gap.wav")
    printf '%s\t%s\t%s\t%s\n' \
      "$(awk -v a="$t" 'BEGIN { printf "%.3f", a }')" \
      "$(awk -v a="$t" -v d="$dur" 'BEGIN { printf "%.3f", a + d }')" \
      "${heard_speaker:-$speaker}" "${heard:-$spoken}" >>"$lines"
    t=$(awk -v a="$t" -v d="$dur" -v g="$gap" 'BEGIN { printf "%.6f", a + d + g }')
    n=$((n + 1))
  done
  sox -R -n -r $rate -c 1 -b 16 "$work/$name-tail.wav" trim 0 0.8
  parts+=("$work/$name-tail.wav")
  sox -R "${parts[@]}" "$work/$name-speech.wav"

  # a quiet room under the voices, and a gentle overall level
  local total
  total=$(soxi -D "$work/$name-speech.wav")
  sox -R -n -r $rate -c 1 -b 16 "$work/$name-room.wav" synth "$total" brownnoise vol 0.012
  sox -R -m "$work/$name-speech.wav" "$work/$name-room.wav" "$work/$name-mix.wav" \
    highpass 80 gain -n -3

  case $ext in
    ogg) sox -R "$work/$name-mix.wav" -C 4 "$out/$name.ogg" ;;
    flac) sox -R "$work/$name-mix.wav" "$out/$name.flac" ;;
    wav) cp "$work/$name-mix.wav" "$out/$name.wav" ;;
    mp3)
      gst-launch-1.0 -q filesrc location="$work/$name-mix.wav" ! wavparse ! audioconvert \
        ! lamemp3enc target=bitrate bitrate=64 cbr=true ! filesink location="$out/$name.mp3"
      ;;
    *) echo "unknown format $ext" >&2; exit 1 ;;
  esac

  jq -R -s --argjson duration "$(awk -v a="$total" 'BEGIN { printf "%.3f", a }')" '
    { kind: "audio", duration: $duration,
      segments: [ split("\n")[] | select(length > 0) | split("\t")
                  | { start: (.[0] | tonumber), end: (.[1] | tonumber),
                      speaker: .[2], text: .[3] } ] }' "$lines" >"$out/$name.segments.json"
}

make_clip dialogue-01 ogg <<'EOF'
A|Good evening, Rosa's Kitchen, how can I help you?
B|Hi, I'd like to book a table for four people on Friday, please.
A|Friday, let me check. We have seven o'clock or half past eight.
B|Half past eight would be perfect.
A|Lovely. Could I have a name for the booking?
B|It's Amara Okafor. That's O, K, A, F, O, R.
A|Thank you. Any allergies we should know about?
B|One of us can't eat peanuts.
A|I'll put a note on the table. See you on Friday.
B|Thanks, bye.
EOF

make_clip dialogue-02 flac <<'EOF'
B|Hello, I'm afraid my suitcase didn't arrive on the flight from Lisbon.
A|I'm sorry to hear that. Do you have your baggage tag?
B|Yes, here it is. The number ends in four seven two.
A|Thank you. It looks like the bag is still in Lisbon. It will come on the next flight tonight.
B|Can you send it to my hotel?
A|Of course. Which hotel are you staying at?
B|The Harbour View, on Quay Street.
A|We'll deliver it before ten tomorrow morning. Here is your reference number.
B|Great, thank you for your help.
EOF

make_clip dialogue-03 wav <<'EOF'
D|Are you still going hiking on Saturday?
C|I want to, but the forecast says rain in the afternoon.
D|We could start early, maybe at seven, and be back by one.
C|That works. Should I bring the small stove for coffee?
D|Yes please. I'll pack sandwiches and the first aid kit.
C|And the map. Last time the phone battery died halfway up.
D|Good point. I'll print the map tonight.
EOF

make_clip dialogue-04 mp3 <<'EOF'
A|Hi, can I take these cold tablets together with my allergy medicine?
C|Which allergy medicine are you taking at the moment?
A|The one with loratadine, ten milligrams, once a day.
C|That's fine with these tablets. Just don't take more than four doses in a day.
A|Should I take them with food?
C|With food or a glass of milk is best, it's gentler on the stomach.
A|Okay, thank you very much.
C|You're welcome. If it isn't better in a week, please see a doctor.
EOF

# speaker | spoken text | what the recogniser heard | whom it heard, when it got that wrong
make_clip recogniser-01 ogg <<'EOF'
A|Thanks for calling support, this is Daniel.|thanks for calling support this is daniel
B|Hi, my internet keeps dropping every few minutes since yesterday.|hi my internet keeps dropping every few minutes since yesterday
A|I'm sorry about that. Have you tried restarting the router?|i'm sorry about that have you tried restarting the rooter
B|Yes, twice. The light on the front blinks orange.|yes twice the light on the front blinks orange
A|Orange means it can't reach our network. Let me run a line test.|orange means it can't reach our network let me run a mine test
A|I can see a fault at the street cabinet. An engineer will fix it today.|i can see a fault at the street cabinet an engineer will fix it today
B|Do I need to be at home?|do i need to be at home|A
A|No, the work is outside. You'll get a text when it's done.|no the work is outside you'll get a text when it's done
B|Perfect, thanks Daniel.|perfect thanks daniel
EOF

make_clip recogniser-02 wav <<'EOF'
C|Morning everyone, let's keep the stand up short today.|morning everyone let's keep the stand up short today
A|Yesterday I finished the export to CSV. Today I'm writing the tests.|yesterday i finished the export to c s v today i'm writing the tests
D|I'm still blocked on the database migration. I need a review from someone.|i'm still blocked on the database migration i need a review from some one
C|I can review it after this meeting.|i can review it after this meeting
B|I fixed the bug with the audio player skipping. It was a rounding error.|i fixed the bug with the audio player skipping it was a rounding arrow
C|Nice. Any other blockers?|nice any other blockers
A|None from me.|none from me
C|Great, thanks all.|great thanks all
EOF
