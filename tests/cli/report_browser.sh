#!/usr/bin/env bash
# tests/cli/report_browser.sh — owns: the HTML report rendered by a real
# browser (headless Chromium, Debian package `chromium`): the rendered DOM has
# the title, one section per table and an <svg> whose texts include every
# table name; a 1280x2000 screenshot is a valid PNG of that size whose ERD
# region is drawn (the table-header colour of the diagram is on screen).
# Chromium missing or failing is a FAILURE, never a skip.
. "$DBSAGE_SOURCE_DIR/tests/cli/lib.sh"

CASS=$DBSAGE_SOURCE_DIR/examples/cass-vessel/schema.sql
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $CHROMIUM ]]; then
    fail "chromium is not installed (scripts/install-deps installs the Debian package)"
    exit 1
fi
chrome() {
    timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/chromium-profile" "$@" 2>>"$T/chromium.log"
}

DB=$(sqlite_new_db)
sqlite_apply "$DB" "$CASS"
sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name" >"$T/tables"
NTAB=$(wc -l <"$T/tables")

assert_exit 0 "$DBSAGE" report --title 'Cass vessel <schema>' --out "$T/report.html" "$CASS"

# ---- the rendered DOM -------------------------------------------------------------
if chrome --dump-dom "file://$T/report.html" >"$T/dom.html"; then
    pass "chromium --dump-dom ran"
else
    fail "chromium --dump-dom failed: $(tail -5 "$T/chromium.log")"
fi
python3 - "$T/dom.html" "$T/tables" >"$T/dom.txt" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []; self.title = ""; self.sections = []; self.svg = 0; self.svg_texts = []; self.h1 = ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "section" and a.get("class") == "table":
            self.sections.append(a.get("id"))
        if tag == "svg":
            self.svg += 1
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, d):
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += d
        if self.stack and self.stack[-1] == "h1":
            self.h1 += d
        if "svg" in self.stack and self.stack[-1] == "text":
            self.svg_texts.append(d.strip())
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
tables = open(sys.argv[2]).read().split()
print("title=" + p.title)
print("h1=" + p.h1)
print("svgs=%d" % p.svg)
print("sections=%d" % len(p.sections))
print("sections_missing=" + ",".join(t for t in tables if "table-" + t not in p.sections))
print("svg_missing=" + ",".join(t for t in tables if t not in p.svg_texts))
PY
assert_eq "title=Cass vessel <schema>" "$(grep '^title=' "$T/dom.txt")" "rendered <title>"
assert_eq "h1=Cass vessel <schema>" "$(grep '^h1=' "$T/dom.txt")" "rendered <h1>"
assert_eq "svgs=1" "$(grep '^svgs=' "$T/dom.txt")" "one <svg> in the page"
assert_eq "sections=$NTAB" "$(grep '^sections=' "$T/dom.txt")" "one table section per table"
assert_eq "sections_missing=" "$(grep '^sections_missing=' "$T/dom.txt")" "every table has its section"
assert_eq "svg_missing=" "$(grep '^svg_missing=' "$T/dom.txt")" "every table name is a text of the SVG"

# ---- the screenshot ---------------------------------------------------------------
if chrome --screenshot="$T/shot.png" --window-size=1280,2000 "file://$T/report.html" >/dev/null; then
    pass "chromium --screenshot ran"
else
    fail "chromium --screenshot failed: $(tail -5 "$T/chromium.log")"
fi
[[ -s $T/shot.png ]] && pass "screenshot written" || fail "screenshot written"
python3 - "$T/shot.png" >"$T/png.txt" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    print("signature=bad"); sys.exit(0)
print("signature=ok")
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
        print("crc=bad"); sys.exit(0)
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = ihdr
print("size=%dx%d" % (w, h))
if depth != 8 or ctype not in (2, 6) or interlace:
    print("format=unsupported depth=%d type=%d interlace=%d" % (depth, ctype, interlace)); sys.exit(0)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
rows, prev, off = [], bytearray(stride), 0
for y in range(h):
    f = raw[off]; line = bytearray(raw[off + 1:off + 1 + stride]); off += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
# the ERD region: below the page header (h1, meta line, h2), the full width
nonwhite = header = 0
for y in range(250, h):
    line = rows[y]
    for x in range(0, stride, bpp):
        r, g, b_ = line[x], line[x + 1], line[x + 2]
        if (r, g, b_) != (255, 255, 255):
            nonwhite += 1
        if abs(r - 0xdb) <= 3 and abs(g - 0xe4) <= 3 and abs(b_ - 0xf0) <= 3:
            header += 1
print("nonwhite=%d" % nonwhite)
print("header_pixels=%d" % header)
PY
assert_eq "signature=ok" "$(grep '^signature=' "$T/png.txt")" "screenshot is a PNG"
assert_eq "" "$(grep '^crc=\|^format=' "$T/png.txt")" "PNG chunks valid, 8-bit RGB(A)"
assert_eq "size=1280x2000" "$(grep '^size=' "$T/png.txt")" "screenshot is 1280x2000"
nonwhite=$(sed -n 's/^nonwhite=//p' "$T/png.txt")
header=$(sed -n 's/^header_pixels=//p' "$T/png.txt")
[[ ${nonwhite:-0} -gt 20000 ]] && pass "ERD region is not blank ($nonwhite non-white pixels)" \
    || fail "ERD region is blank (${nonwhite:-?} non-white pixels)"
[[ ${header:-0} -gt 2000 ]] && pass "ERD table headers on screen ($header pixels of #dbe4f0)" \
    || fail "no ERD table header colour on screen (${header:-?} pixels)"
