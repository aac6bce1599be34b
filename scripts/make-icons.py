#!/usr/bin/env python3
"""Draws the app icons (a round table with seats) as PNGs, with no imaging library.

Run once when the design changes: python3 scripts/make-icons.py
"""
import math
import struct
import zlib
from pathlib import Path

TEAL = (31, 95, 91)
CREAM = (247, 245, 239)
AMBER = (233, 170, 60)


def shape(size, x, y, scale):
    """Colour at pixel (x, y) for an icon drawn at `scale` (1.0 fills the square)."""
    c = size / 2
    dx, dy = (x + 0.5 - c) / (size * scale / 2), (y + 0.5 - c) / (size * scale / 2)
    r = math.hypot(dx, dy)
    if r < 0.42:
        return CREAM  # the table
    for i in range(6):
        a = i * math.pi / 3 + math.pi / 6
        sx, sy = 0.68 * math.cos(a), 0.68 * math.sin(a)
        if math.hypot(dx - sx, dy - sy) < 0.14:
            return AMBER  # a seat
    return TEAL


def png(size, scale, rounded):
    rows = []
    radius = size * 0.18
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # Rounded corners for the plain icon; maskable icons must be full-bleed.
            cx = min(max(x, radius), size - radius)
            cy = min(max(y, radius), size - radius)
            inside = not rounded or math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius
            row += bytes(shape(size, x, y, scale)) + bytes([255 if inside else 0])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


out = Path(__file__).resolve().parent.parent / "public" / "icons"
out.mkdir(parents=True, exist_ok=True)
(out / "icon-192.png").write_bytes(png(192, 0.9, True))
(out / "icon-512.png").write_bytes(png(512, 0.9, True))
(out / "icon-maskable-512.png").write_bytes(png(512, 0.66, False))
print("icons written to", out)
