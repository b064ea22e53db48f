# SPDX-License-Identifier: MIT
"""A PNG canvas with rectangles, lines and a 3x5 pixel font: enough for
the fleet plots, with the standard library only (zlib and struct)."""
import struct
import zlib

# 3x5 glyphs, rows top to bottom, '#' set.
_FONT = {
    '0': "#### ## ## ####", '1': " # ##  #  # ###", '2': "###  #####  ###",
    '3': "###  ####  ####", '4': "# ## ####  #  #", '5': "####  ###  ####",
    '6': "####  #### ####", '7': "###  #  # #  # ", '8': "#### ##### ####",
    '9': "#### ####  ####", 'A': " # # ##### ## #", 'B': "## # ### # ### ",
    'C': " ###  #  #   ##", 'D': "## # ## ## ### ", 'E': "####  ## #  ###",
    'F': "####  ## #  #  ", 'G': " ###  # ## # ##", 'H': "# ## ##### ## #",
    'I': "### #  #  # ###", 'J': "  #  #  ## # # ", 'K': "# ## ### # ## #",
    'L': "#  #  #  #  ###", 'M': "# ######## ## #", 'N': "## # ## ## ## #",
    'O': " # # ## ## # # ", 'P': "## # ### #  #  ", 'Q': " # # ## ##  ###",
    'R': "## # ### # ## #", 'S': " ###   #   ### ", 'T': "### #  #  #  # ",
    'U': "# ## ## ## ####", 'V': "# ## ## ## # # ", 'W': "# ## ######## #",
    'X': "# ## # # # ## #", 'Y': "# ## # #  #  # ", 'Z': "###  # # #  ###",
    ' ': "               ", '/': "  #  # # #  #  ", '.': "             # ",
    ':': "    #     #    ", '-': "      ###      ", '%': "# #  # # #  # #",
    ',': "          #  # ", '(': " # #  #  #   # ", ')': " #   #  #  # # ",
    '=': "   ###   ###   ", '<': "  # # #   #   #", '>': "#   #   # # #  ",
    '+': "    # ### #    ", '*': "   # # # # #   ",
}


class Canvas:
    def __init__(self, width, height, bg=(255, 255, 255)):
        self.w, self.h = width, height
        self.px = bytearray(bytes(bg) * (width * height))

    def dot(self, x, y, rgb):
        if 0 <= x < self.w and 0 <= y < self.h:
            i = 3 * (y * self.w + x)
            self.px[i:i + 3] = bytes(rgb)

    def rect(self, x0, y0, x1, y1, rgb):
        """Filled, corners inclusive, clipped to the canvas."""
        x0, x1 = sorted((max(0, x0), min(self.w - 1, x1)))
        y0, y1 = sorted((max(0, y0), min(self.h - 1, y1)))
        row = bytes(rgb) * (x1 - x0 + 1)
        for y in range(y0, y1 + 1):
            i = 3 * (y * self.w + x0)
            self.px[i:i + len(row)] = row

    def hline(self, x0, x1, y, rgb, dash=0):
        for x in range(x0, x1 + 1):
            if not dash or (x // dash) % 2 == 0:
                self.dot(x, y, rgb)

    def text(self, x, y, s, rgb=(0, 0, 0), scale=2):
        for ch in s.upper():
            g = _FONT.get(ch, _FONT[' ']).ljust(15)
            for k, c in enumerate(g[:15]):
                if c == '#':
                    self.rect(x + (k % 3) * scale, y + (k // 3) * scale,
                              x + (k % 3) * scale + scale - 1, y + (k // 3) * scale + scale - 1, rgb)
            x += 4 * scale

    def save(self, path):
        raw = b''.join(b'\x00' + bytes(self.px[3 * y * self.w:3 * (y + 1) * self.w])
                       for y in range(self.h))

        def chunk(kind, data):
            c = kind + data
            return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)

        with open(path, 'wb') as f:
            f.write(b'\x89PNG\r\n\x1a\n')
            f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', self.w, self.h, 8, 2, 0, 0, 0)))
            # The project's license, as every file names it, in a text
            # chunk right after the header (tests/check_license.sh looks
            # for it in a PNG's first bytes).
            f.write(chunk(b'tEXt', b'Copyright\x00SPDX-License-Identifier: MIT'))
            f.write(chunk(b'IDAT', zlib.compress(raw, 9)))
            f.write(chunk(b'IEND', b''))
