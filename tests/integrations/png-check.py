#!/usr/bin/env python3
"""Check a screenshot is not blank, with the standard library only (no Pillow, no network).

usage: png-check.py FILE.png MIN_COLOURS [light|dark]

Decodes an 8-bit RGB/RGBA PNG (what Chromium writes), counts the distinct colours and the
share of the most common one, and fails when the picture is (nearly) one colour. With
`light` or `dark`, the most common colour (the page background) must be light or dark.
"""
import struct
import sys
import zlib
from collections import Counter


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour})")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    out = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        # Every 7th row and column is plenty to tell a page from a blank.
        if y % 7 == 0:
            out.extend(bytes(line[x : x + 3]) for x in range(0, stride, bpp * 7))
        prev = line
    return width, height, out


def main():
    path, minimum = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else None
    width, height, px = pixels(path)
    counts = Counter(px)
    background, n = counts.most_common(1)[0]
    share = n / len(px)
    print(f"{path}: {width}x{height}, {len(counts)} colours sampled, background #{background.hex()} on {share:.0%}")
    if len(counts) < minimum:
        sys.exit(f"{path}: only {len(counts)} colours: blank?")
    if share > 0.98:
        sys.exit(f"{path}: {share:.0%} one colour: blank?")
    if mode:
        luma = sum(background) / 3
        if (mode == "light") != (luma > 128):
            sys.exit(f"{path}: the background #{background.hex()} is not {mode}")


main()
