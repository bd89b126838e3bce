"""The demo photos' pictures: a street or indoor background and, over it, the problem a motif
shows (``fixed=False``) or the place put right (``fixed=True``), drawn with Pillow."""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import ImageDraw

SIZE = (640, 480)


GROUND = 300  # y of the pavement's top edge


INDOOR = {"service", "convenience", "queue", "smoking", "ledger", "vehicle", "price", "fire", "toilet", "volunteer",
          "market", "closed"}


Pen = ImageDraw.ImageDraw


def _street(pen: Pen, rng: random.Random) -> None:
    pen.rectangle([0, 50, SIZE[0], GROUND], fill=(170 + rng.randint(0, 40), 200 + rng.randint(0, 25), 228))
    for x in range(0, SIZE[0], 128):
        top = GROUND - rng.randint(110, 220)
        pen.rectangle([x + 8, top, x + 120, GROUND], fill=(205 - rng.randint(0, 60), 190, 168))
        for y in range(top + 14, GROUND - 20, 36):
            pen.rectangle([x + 24, y, x + 48, y + 18], fill=(90, 120, 160))
            pen.rectangle([x + 80, y, x + 104, y + 18], fill=(90, 120, 160))
    pen.rectangle([0, GROUND, SIZE[0], GROUND + 50], fill=(176, 170, 162))  # pavement
    pen.rectangle([0, GROUND + 50, SIZE[0], SIZE[1]], fill=(108, 108, 114))  # road
    pen.line([0, GROUND + 50, SIZE[0], GROUND + 50], fill=(230, 230, 230), width=3)


def _indoor(pen: Pen, rng: random.Random) -> None:
    pen.rectangle([0, 50, SIZE[0], GROUND], fill=(232, 222, 200 + rng.randint(0, 20)))  # wall
    for x in range(0, SIZE[0], 64):  # floor tiles
        for y in range(GROUND, SIZE[1], 45):
            pen.rectangle([x, y, x + 63, y + 44], fill=(200, 200, 196), outline=(170, 170, 166))


def _person(pen: Pen, x: int, y: int, colour=(40, 90, 170)) -> None:
    pen.ellipse([x + 6, y, x + 24, y + 18], fill=(230, 190, 160))
    pen.rectangle([x + 2, y + 18, x + 28, y + 60], fill=colour)
    pen.rectangle([x + 6, y + 60, x + 13, y + 84], fill=(50, 50, 60))
    pen.rectangle([x + 17, y + 60, x + 24, y + 84], fill=(50, 50, 60))


def _car(pen: Pen, x: int, y: int, colour) -> None:
    pen.rounded_rectangle([x, y + 18, x + 110, y + 52], 8, fill=colour)
    pen.rounded_rectangle([x + 20, y, x + 86, y + 24], 8, fill=colour)
    pen.rectangle([x + 28, y + 5, x + 78, y + 20], fill=(180, 210, 230))
    for wx in (x + 22, x + 88):
        pen.ellipse([wx - 11, y + 42, wx + 11, y + 64], fill=(30, 30, 30))


def _bike(pen: Pen, x: int, y: int, colour=(240, 200, 40), tilt: int = 0) -> None:
    pen.ellipse([x, y + tilt, x + 30, y + 30 + tilt], outline=(40, 40, 40), width=3)
    pen.ellipse([x + 40, y, x + 70, y + 30], outline=(40, 40, 40), width=3)
    pen.line([x + 15, y + 15 + tilt, x + 35, y - 2, x + 55, y + 15], fill=colour, width=4)


def _tree(pen: Pen, x: int, y: int) -> None:
    pen.rectangle([x + 14, y + 30, x + 20, y + 60], fill=(100, 70, 40))
    pen.ellipse([x, y, x + 34, y + 40], fill=(60, 140, 70))


def _board(pen: Pen, x: int, y: int, w: int, h: int, fresh: bool) -> None:
    pen.rectangle([x - 6, y - 6, x + w + 6, y + h + 6], fill=(90, 90, 95))
    pen.rectangle([x, y, x + w, y + h], fill=(250, 250, 245) if fresh else (214, 200, 160))
    for line_y in range(y + 14, y + h - 8, 16):
        width = w - 20 if fresh else w // 3
        pen.line([x + 10, line_y, x + 10 + width, line_y], fill=(60, 60, 60) if fresh else (170, 150, 120), width=3)


def _nothing(pen: Pen, rng: random.Random, fixed: bool) -> None:
    return None


def _litter(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        for x in range(30, SIZE[0], 150):
            _tree(pen, x, GROUND - 60)
        return
    for _ in range(26):
        x, y = rng.randint(0, SIZE[0] - 20), rng.randint(GROUND + 5, SIZE[1] - 15)
        pen.rectangle([x, y, x + rng.randint(6, 22), y + rng.randint(4, 12)],
                      fill=rng.choice([(240, 240, 240), (200, 60, 50), (230, 180, 40), (90, 60, 40)]))


def _bin(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([280, GROUND - 30, 350, GROUND + 40], fill=(40, 120, 70))
    pen.rectangle([272, GROUND - 40, 358, GROUND - 28], fill=(30, 100, 60))
    if not fixed:
        for _ in range(9):
            x = rng.randint(220, 400)
            pen.ellipse([x, GROUND + rng.randint(10, 45), x + 40, GROUND + rng.randint(50, 70)], fill=(30, 30, 30))
        for _ in range(4):
            x = rng.randint(270, 340)
            pen.ellipse([x, GROUND - 70, x + 36, GROUND - 34], fill=(45, 45, 45))


def _stall(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        return
    for x in (60, 250, 440):
        colour = rng.choice([(220, 60, 50), (40, 110, 200), (240, 170, 40)])
        pen.pieslice([x - 10, GROUND - 40, x + 130, GROUND + 40], 180, 360, fill=colour)
        pen.line([x + 60, GROUND, x + 60, GROUND + 45], fill=(60, 60, 60), width=3)
        pen.rectangle([x, GROUND + 20, x + 120, GROUND + 48], fill=(150, 110, 70))
        for i in range(5):
            pen.ellipse([x + 6 + i * 22, GROUND + 8, x + 24 + i * 22, GROUND + 24], fill=(230, 120, 40))


def _parking(pen: Pen, rng: random.Random, fixed: bool) -> None:
    colours = [(200, 40, 40), (240, 240, 240), (40, 60, 120), (60, 60, 60)]
    if fixed:
        for i, x in enumerate(range(30, SIZE[0] - 120, 150)):
            pen.rectangle([x - 10, GROUND + 60, x + 125, SIZE[1] - 10], outline=(240, 240, 240), width=3)
            _car(pen, x, GROUND + 90, colours[i % 4])
        return
    for i, x in enumerate((20, 180, 350, 500)):
        _car(pen, x, GROUND - 15 + rng.randint(0, 10), colours[i % 4])  # up on the pavement


def _bikes(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        pen.rectangle([40, GROUND + 5, 600, GROUND + 48], outline=(255, 255, 255), width=3)
        for x in range(50, 560, 60):
            _bike(pen, x, GROUND + 12)
        return
    for _ in range(12):
        _bike(pen, rng.randint(20, 540), GROUND + rng.randint(-10, 60), tilt=rng.randint(-15, 15),
              colour=rng.choice([(240, 200, 40), (60, 160, 220), (230, 90, 40)]))


def _ads(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([300, 110, 318, GROUND + 30], fill=(130, 130, 135))  # pole
    if not fixed:
        for _ in range(14):
            x, y = rng.randint(292, 318), rng.randint(130, GROUND + 10)
            pen.rectangle([x, y, x + 16, y + 12], fill=(255, 255, 255), outline=(200, 40, 40))
        for _ in range(12):
            x, y = rng.randint(20, 600), rng.randint(GROUND - 100, GROUND - 20)
            pen.rectangle([x, y, x + 22, y + 16], fill=(255, 255, 250), outline=(60, 60, 60))


def _signboard(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        pen.rectangle([120, 150, 520, 200], fill=(180, 30, 30))
        for x in range(150, 500, 70):
            pen.rectangle([x, 162, x + 40, 188], fill=(255, 220, 120))
        return
    pen.polygon([(120, 150), (520, 170), (510, 222), (120, 200)], fill=(150, 40, 40))
    for x in (150, 290, 430):
        pen.rectangle([x, 170, x + 40, 196], fill=(255, 220, 120))
    pen.line([380, 150, 400, 230], fill=(40, 40, 40), width=4)


def _poster(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([150, 100, 490, 240], fill=(90, 90, 95))
    if fixed:
        pen.rectangle([158, 108, 482, 232], fill=(200, 30, 36))
        pen.rectangle([180, 140, 460, 160], fill=(255, 220, 120))
        pen.rectangle([200, 180, 440, 196], fill=(255, 240, 200))
    else:
        pen.rectangle([158, 108, 482, 232], fill=(205, 190, 170))
        pen.polygon([(380, 108), (482, 108), (482, 200)], fill=(150, 140, 130))


def _facility(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for i, x in enumerate(range(20, SIZE[0], 40)):
        lean = 0 if fixed or i % 4 else 30
        pen.line([x, GROUND + 45, x + lean, GROUND + 5 + lean // 2], fill=(220, 220, 225), width=4)
    if fixed:
        pen.line([20, GROUND + 10, SIZE[0] - 20, GROUND + 10], fill=(220, 220, 225), width=4)
        pen.ellipse([280, GROUND + 80, 360, GROUND + 110], fill=(70, 70, 75), outline=(40, 40, 40), width=3)
    else:
        pen.line([20, GROUND + 10, 260, GROUND + 10], fill=(220, 220, 225), width=4)
        pen.ellipse([280, GROUND + 80, 360, GROUND + 110], fill=(10, 10, 10))  # open manhole
        pen.polygon([(380, GROUND + 90), (420, GROUND + 70), (440, GROUND + 100)], fill=(240, 140, 30))


def _drain(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([0, GROUND + 46, SIZE[0], GROUND + 56], fill=(80, 80, 85))  # gutter
    if not fixed:
        pen.ellipse([60, GROUND + 40, 560, GROUND + 150], fill=(90, 120, 140))
        pen.ellipse([120, GROUND + 60, 300, GROUND + 90], fill=(140, 170, 190))


def _green(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([0, GROUND + 10, SIZE[0], GROUND + 45], fill=(80, 150, 80))
    for x in range(20, SIZE[0], 90):
        if fixed or rng.random() < 0.5:
            _tree(pen, x, GROUND - 50)
    if not fixed:
        for x in (80, 300, 470):
            pen.ellipse([x, GROUND + 8, x + 110, GROUND + 46], fill=(150, 110, 70))  # bare soil


def _water(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.ellipse([40, GROUND - 10, 600, SIZE[1] - 20], fill=(70, 130, 170))
    if not fixed:
        for _ in range(14):
            x, y = rng.randint(120, 520), rng.randint(GROUND + 30, SIZE[1] - 70)
            pen.rectangle([x, y, x + rng.randint(8, 24), y + 8], fill=rng.choice([(240, 240, 240), (200, 60, 50)]))
        pen.ellipse([200, GROUND + 60, 420, GROUND + 110], fill=(80, 100, 70))


def _clutter(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        return
    for _ in range(9):
        x, y = rng.randint(80, 460), rng.randint(GROUND - 40, GROUND + 50)
        pen.rectangle([x, y, x + rng.randint(40, 90), y + rng.randint(30, 60)],
                      fill=rng.choice([(160, 120, 80), (120, 90, 60), (200, 200, 200), (90, 90, 100)]),
                      outline=(60, 50, 40))


def _laundry(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        return
    for y in (120, 200):
        pen.line([20, y, 620, y + 10], fill=(60, 60, 60), width=2)
        for x in range(40, 600, 50):
            pen.rectangle([x, y + 2, x + 34, y + 44], fill=rng.choice([(220, 60, 60), (60, 110, 200), (240, 240, 240)]))


def _wires(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        pen.line([0, 120, SIZE[0], 126], fill=(30, 30, 30), width=6)
        return
    for _ in range(12):
        pen.line([0, rng.randint(80, 200), SIZE[0], rng.randint(80, 260)], fill=(20, 20, 20), width=2)
    pen.line([200, 150, 200, GROUND + 20, 330, GROUND + 20], fill=(230, 60, 40), width=4)  # fly-line charging
    _bike(pen, 330, GROUND + 5, colour=(40, 40, 40))


def _shed(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        return
    pen.rectangle([180, GROUND - 90, 460, GROUND + 40], fill=(150, 150, 155), outline=(90, 90, 90), width=3)
    pen.polygon([(170, GROUND - 90), (470, GROUND - 90), (440, GROUND - 130), (200, GROUND - 130)], fill=(40, 90, 190))


def _fence(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for i, x in enumerate(range(0, SIZE[0], 80)):
        if not fixed and i in (2, 5):
            pen.polygon([(x, GROUND + 40), (x + 70, GROUND + 40), (x + 60, GROUND + 20)], fill=(230, 230, 230))
            continue
        pen.rectangle([x + 2, GROUND - 120, x + 78, GROUND + 40], fill=(235, 235, 235), outline=(30, 110, 60), width=3)


def _dust(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.polygon([(150, GROUND + 40), (320, GROUND - 80), (490, GROUND + 40)],
                fill=(40, 140, 70) if fixed else (150, 110, 70))  # soil heap, netted once fixed
    if not fixed:
        for _ in range(6):
            x, y = rng.randint(100, 480), rng.randint(90, GROUND - 60)
            pen.ellipse([x, y, x + 120, y + 60], fill=(190, 170, 140))
        for _ in range(10):
            x = rng.randint(0, 600)
            pen.ellipse([x, GROUND + 70, x + 40, GROUND + 90], fill=(120, 90, 60))


def _smoke(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        return
    pen.polygon([(280, GROUND + 40), (320, GROUND - 20), (360, GROUND + 40)], fill=(240, 120, 30))
    for i in range(6):
        pen.ellipse([270 + i * 15, GROUND - 60 - i * 35, 360 + i * 20, GROUND - 10 - i * 35], fill=(150, 150, 150))


def _traffic(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for x in range(100, 540, 40):
        pen.rectangle([x, GROUND + 60, x + 22, SIZE[1] - 10], fill=(235, 235, 235))  # zebra crossing
    pen.rectangle([590, 90, 620, 170], fill=(30, 30, 30))
    pen.ellipse([594, 96, 616, 118], fill=(60, 60, 60) if fixed else (230, 40, 40))
    pen.ellipse([594, 142, 616, 164], fill=(40, 200, 80) if fixed else (60, 60, 60))
    for i, x in enumerate((180, 260, 360)):
        _person(pen, x, GROUND + 70 + (i % 2) * 20)
    if not fixed:
        _car(pen, 430, GROUND + 70, (200, 40, 40))


def _marking(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for x in range(80, 560, 40):
        if fixed:
            pen.rectangle([x, GROUND + 60, x + 22, SIZE[1] - 10], fill=(245, 245, 245))
        else:
            for y in range(GROUND + 60, SIZE[1] - 10, 14):
                if rng.random() < 0.35:
                    pen.rectangle([x, y, x + 22, y + 8], fill=(200, 200, 200))


def _queue(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        for i in range(7):
            _person(pen, 100 + i * 60, GROUND - 40)
        pen.line([80, GROUND + 50, 560, GROUND + 50], fill=(240, 200, 40), width=4)
        return
    for _ in range(11):
        _person(pen, rng.randint(180, 420), GROUND - 60 + rng.randint(-10, 40),
                rng.choice([(40, 90, 170), (200, 50, 50), (60, 140, 80), (230, 170, 40)]))


def _notice(pen: Pen, rng: random.Random, fixed: bool) -> None:
    _board(pen, 180, 100, 280, 160, fresh=fixed)


def _service(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([80, GROUND - 40, 560, GROUND + 30], fill=(140, 100, 70))  # counter
    _person(pen, 300, GROUND - 110, (30, 60, 120))
    if fixed:
        pen.rectangle([296, GROUND - 80, 312, GROUND - 68], fill=(240, 240, 240))  # name badge
    else:
        pen.ellipse([340, GROUND - 170, 440, GROUND - 120], fill=(255, 255, 255), outline=(60, 60, 60), width=2)
        pen.line([360, GROUND - 145, 420, GROUND - 145], fill=(200, 40, 40), width=4)


def _convenience(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([180, GROUND - 110, 460, GROUND + 20], fill=(170, 130, 90), outline=(110, 80, 50), width=3)
    pen.line([180, GROUND - 50, 460, GROUND - 50], fill=(110, 80, 50), width=3)
    if fixed:
        for x in range(200, 440, 50):
            pen.rectangle([x, GROUND - 95, x + 30, GROUND - 55], fill=(60, 140, 200))
            pen.ellipse([x, GROUND - 40, x + 30, GROUND - 10], fill=(240, 200, 60))


def _access(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.polygon([(120, GROUND + 45), (420, GROUND + 45), (420, GROUND - 15)], fill=(190, 190, 185))  # ramp
    pen.rectangle([460, 140, 520, 200], fill=(30, 90, 200))
    pen.ellipse([478, 150, 498, 170], outline=(255, 255, 255), width=3)
    if not fixed:
        for x in (220, 300, 360):
            pen.rectangle([x, GROUND - 35, x + 55, GROUND + 30], fill=(150, 110, 70), outline=(90, 60, 40))


def _toilet(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for x in (120, 300, 480):
        pen.rectangle([x, 110, x + 110, GROUND], fill=(150, 180, 200), outline=(90, 110, 130), width=3)
    if not fixed:
        for _ in range(10):
            x, y = rng.randint(40, 600), rng.randint(GROUND + 10, SIZE[1] - 20)
            pen.ellipse([x, y, x + 40, y + 14], fill=(140, 120, 70))


def _vehicle(pen: Pen, rng: random.Random, fixed: bool) -> None:
    for x in range(40, 600, 110):  # seats seen down the aisle
        pen.rectangle([x, GROUND - 80, x + 80, GROUND + 10], fill=(40, 110, 170))
    pen.line([0, 90, SIZE[0], 90], fill=(150, 150, 150), width=5)  # handrail
    if not fixed:
        for _ in range(16):
            x, y = rng.randint(20, 600), rng.randint(GROUND + 20, SIZE[1] - 20)
            pen.rectangle([x, y, x + 18, y + 10], fill=rng.choice([(240, 240, 240), (90, 60, 40)]))


def _smoking(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.ellipse([440, 100, 540, 200], outline=(220, 30, 30), width=8)
    pen.line([455, 115, 525, 185], fill=(220, 30, 30), width=8)
    if not fixed:
        _person(pen, 240, GROUND - 60)
        pen.line([270, GROUND - 45, 290, GROUND - 48], fill=(240, 240, 240), width=3)
        for i in range(4):
            pen.ellipse([285 + i * 8, GROUND - 70 - i * 18, 300 + i * 10, GROUND - 55 - i * 18], fill=(170, 170, 170))


def _fire(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([260, 110, 380, GROUND], fill=(120, 120, 125))  # exit door
    pen.rectangle([280, 80, 360, 104], fill=(30, 160, 70))  # green exit sign
    pen.rectangle([440, 180, 470, 250], fill=(200, 30, 30))  # extinguisher
    if not fixed:
        for _ in range(8):
            x, y = rng.randint(230, 380), rng.randint(GROUND - 80, GROUND + 40)
            pen.rectangle([x, y, x + 60, y + 45], fill=(160, 120, 80), outline=(100, 70, 40))


def _noise(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([280, GROUND - 60, 340, GROUND + 30], fill=(40, 40, 45))
    pen.ellipse([292, GROUND - 45, 328, GROUND - 9], fill=(90, 90, 95))
    if not fixed:
        for r in (50, 85, 120):
            pen.arc([310 - r, GROUND - 27 - r, 310 + r, GROUND - 27 + r], -40, 40, fill=(220, 40, 40), width=5)


def _price(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([80, GROUND - 10, 560, GROUND + 40], fill=(150, 110, 70))
    for x in range(100, 540, 70):
        colour = rng.choice([(60, 160, 60), (230, 120, 40), (200, 40, 40)])
        pen.ellipse([x, GROUND - 50, x + 50, GROUND - 5], fill=colour)
        if fixed:
            pen.rectangle([x + 8, GROUND + 5, x + 44, GROUND + 28], fill=(255, 255, 255), outline=(40, 40, 40))


def _pet(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.ellipse([380, GROUND - 5, 450, GROUND + 25], fill=(180, 140, 90))  # dog
    pen.ellipse([440, GROUND - 20, 470, GROUND + 5], fill=(180, 140, 90))
    if fixed:
        _person(pen, 320, GROUND - 50)
        pen.line([350, GROUND - 20, 440, GROUND - 5], fill=(200, 40, 40), width=2)  # leash
    else:
        for _ in range(5):
            x = rng.randint(80, 340)
            pen.ellipse([x, GROUND + 20, x + 16, GROUND + 30], fill=(100, 70, 30))


def _conduct(pen: Pen, rng: random.Random, fixed: bool) -> None:
    _person(pen, 280, GROUND - 50, (200, 50, 50))
    if not fixed:
        pen.line([308, GROUND - 20, 360, GROUND + 20], fill=(60, 60, 60), width=2)
        pen.rectangle([360, GROUND + 18, 376, GROUND + 28], fill=(240, 240, 240))
        pen.ellipse([150, GROUND + 10, 240, GROUND + 40], fill=(150, 110, 70))  # trampled grass
    else:
        _tree(pen, 160, GROUND - 50)


def _volunteer(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([200, GROUND - 20, 440, GROUND + 40], fill=(240, 240, 240), outline=(200, 30, 30), width=3)
    pen.rectangle([200, GROUND - 60, 440, GROUND - 30], fill=(200, 30, 36))
    if fixed:
        _person(pen, 300, GROUND - 100, (220, 40, 40))  # red volunteer vest


def _vagrant(pen: Pen, rng: random.Random, fixed: bool) -> None:
    if fixed:
        _tree(pen, 200, GROUND - 50)
        _tree(pen, 400, GROUND - 50)
        return
    pen.rectangle([250, GROUND + 10, 370, GROUND + 40], fill=(140, 120, 90))  # a mat on the pavement
    pen.ellipse([290, GROUND - 40, 316, GROUND - 14], fill=(230, 190, 160))
    pen.rectangle([280, GROUND - 14, 330, GROUND + 25], fill=(100, 90, 80))
    pen.ellipse([340, GROUND + 18, 362, GROUND + 30], fill=(200, 200, 200))  # bowl


def _closed(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([240, 100, 400, GROUND], fill=(150, 110, 70) if not fixed else (230, 230, 220),
                  outline=(90, 60, 40), width=4)
    if fixed:
        _person(pen, 300, GROUND - 110, (40, 90, 170))
    else:
        pen.line([300, 190, 340, 190], fill=(90, 90, 90), width=6)
        pen.rectangle([308, 186, 332, 210], fill=(200, 170, 40))  # padlock
    _board(pen, 430, 140, 120, 90, fresh=fixed)


def _shop(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([180, 130, 460, GROUND], fill=(220, 210, 190), outline=(120, 100, 80), width=3)
    pen.rectangle([180, 100, 460, 130], fill=(40, 110, 180))
    pen.rectangle([220, GROUND - 60, 420, GROUND], fill=(150, 110, 70))  # counter
    for x in range(230, 410, 30):
        pen.rectangle([x, GROUND - 80, x + 20, GROUND - 60], fill=rng.choice([(200, 40, 40), (240, 200, 40)]))
    if fixed:
        pen.rectangle([200, 150, 260, 200], fill=(255, 255, 255), outline=(200, 30, 30), width=3)  # licence
    else:
        _person(pen, 120, GROUND - 60, (60, 140, 80))


def _market(pen: Pen, rng: random.Random, fixed: bool) -> None:
    _price(pen, rng, fixed=True)
    pen.rectangle([500, 120, 600, GROUND - 40], fill=(255, 255, 255), outline=(40, 40, 40), width=2)
    if fixed:
        pen.rectangle([520, 160, 580, 200], fill=(40, 120, 200))  # the public scale
    else:
        pen.line([500, 120, 600, GROUND - 40], fill=(200, 40, 40), width=4)


def _safety(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([312, 140, 320, GROUND + 40], fill=(120, 120, 125))
    if fixed:
        pen.polygon([(316, 90), (266, 170), (366, 170)], fill=(250, 200, 30), outline=(30, 30, 30))
    _clutter(pen, rng, fixed)


def _ledger(pen: Pen, rng: random.Random, fixed: bool) -> None:
    pen.rectangle([100, GROUND - 10, 540, GROUND + 20], fill=(140, 100, 70))  # desk
    for i, x in enumerate(range(120, 520, 36)):
        if fixed or i % 3:
            pen.rectangle([x, GROUND - 100, x + 30, GROUND - 10], fill=(30, 70, 150), outline=(20, 40, 90))


DRAW: dict[str, Callable[[Pen, random.Random, bool], None]] = {
    "litter": _litter, "bin": _bin, "stall": _stall, "parking": _parking, "bikes": _bikes, "ads": _ads,
    "signboard": _signboard, "poster": _poster, "facility": _facility, "drain": _drain, "green": _green,
    "water": _water, "clutter": _clutter, "laundry": _laundry, "wires": _wires, "shed": _shed, "fence": _fence,
    "dust": _dust, "smoke": _smoke, "traffic": _traffic, "marking": _marking, "queue": _queue, "notice": _notice,
    "service": _service, "convenience": _convenience, "access": _access, "toilet": _toilet, "vehicle": _vehicle,
    "smoking": _smoking, "fire": _fire, "noise": _noise, "price": _price, "pet": _pet, "conduct": _conduct,
    "volunteer": _volunteer, "market": _market, "safety": _safety, "ledger": _ledger, "vagrant": _vagrant,
    "closed": _closed, "shop": _shop,
}


def draw_scene(pen: Pen, motif: str, rng: random.Random, fixed: bool) -> None:
    """The background the motif belongs to, then the motif itself."""
    (_indoor if motif in INDOOR else _street)(pen, rng)
    DRAW.get(motif, _nothing)(pen, rng, fixed)
