#!/bin/sh
# Regenerates the Indonesian word clips that package media embeds (run as `make media`).
#
# Each clip is one unit of an announcement, spoken by espeak-ng's Indonesian voice, with its
# leading and trailing silence trimmed, 5 ms / 10 ms fades against clicks, and resampled to the
# bank's one storage format: WAV, 24,000 Hz, mono, signed 16-bit little-endian PCM. The file name
# is the unit with spaces written as hyphens (the letter clips are named by the letter shown on
# the display, A.wav … F.wav, and speak its Indonesian name). Dither is off, so a rerun with the
# same espeak-ng and sox versions reproduces the files byte for byte.
set -eu

for tool in espeak-ng sox; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "generate.sh: $tool not found (apt-get install -y espeak-ng sox)" >&2
		exit 1
	}
done

dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# clip NAME TEXT: speak TEXT into $dir/NAME.wav.
clip() {
	espeak-ng -v id -s 150 -w "$tmp/raw.wav" "$2"
	sox -D -R "$tmp/raw.wav" -e signed-integer -b 16 -c 1 "$dir/$1.wav" \
		silence 1 0.01 0.1% reverse silence 1 0.01 0.1% fade t 0.01 \
		reverse fade t 0.005 rate -v 24000
}

rm -f "$dir"/*.wav

clip nomor-antrean "nomor antrean"
clip silakan-menuju-loket "silakan menuju loket"

clip A a
clip B be
clip C ce
clip D de
clip E e
clip F ef

for word in nol satu dua tiga empat lima enam tujuh delapan sembilan \
	sepuluh sebelas belas puluh seratus ratus; do
	clip "$word" "$word"
done
