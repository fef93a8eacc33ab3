"""Animation files written frame by frame (animation.write_animation renders the frames): GIF through Pillow
with one shared palette, APNG chunk by chunk (one frame in memory at a time), MP4 through imageio's ffmpeg.

    WRITERS[fmt](frames, count, path, fps)     # frames: an iterator of (h, w, 3) uint8 arrays
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path


def _write_gif(frames, count: int, path: Path, fps: float) -> None:
    """One shared palette (from the first frame: smaller files, no flicker between frames)."""
    from PIL import Image

    first = Image.fromarray(next(frames))
    palette = first.quantize(colors=192, method=Image.Quantize.MEDIANCUT)
    rest = (Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames)
    first.quantize(palette=palette, dither=Image.Dither.NONE).save(
        path, format="GIF", save_all=True, append_images=rest, duration=round(1000 / fps), loop=0, optimize=True)


def _write_apng(frames, count: int, path: Path, fps: float) -> None:
    """An animated PNG written frame by frame: each frame is encoded as a PNG by Pillow, and its image data
    becomes the APNG's next frame (IDAT for the first, fdAT after), so only one frame is held at a time."""
    from PIL import Image

    delay = max(1, round(1000 / fps))
    seq = 0
    with open(path, "wb") as out:
        out.write(PNG_SIGNATURE)
        for n, frame in enumerate(frames):
            png = io.BytesIO()
            Image.fromarray(frame).save(png, format="PNG")
            chunks = list(_png_chunks(png.getvalue()))
            if n == 0:
                out.write(_chunk(b"IHDR", next(data for kind, data in chunks if kind == b"IHDR")))
                out.write(_chunk(b"acTL", struct.pack(">II", count, 0)))
            h, w = frame.shape[:2]
            out.write(_chunk(b"fcTL", struct.pack(">IIIIIHHBB", seq, w, h, 0, 0, delay, 1000, 0, 0)))
            seq += 1
            for kind, data in chunks:
                if kind == b"IDAT":
                    out.write(_chunk(b"IDAT", data) if n == 0 else _chunk(b"fdAT", struct.pack(">I", seq) + data))
                    seq += n > 0
        out.write(_chunk(b"IEND", b""))  # (a cancelled recording's file is thrown away, its frame count short)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunks(data: bytes):
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _write_mp4(frames, count: int, path: Path, fps: float) -> None:
    import imageio.v2 as imageio

    with imageio.get_writer(path, fps=fps, codec="libx264", quality=8, macro_block_size=8,
                            ffmpeg_log_level="error") as writer:
        for f in frames:
            writer.append_data(f)


WRITERS = {"GIF": _write_gif, "APNG": _write_apng, "MP4": _write_mp4}
