#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The fleet table: reads BUILD_DIR/runs/*.txt (one summary line per run,
from tests/fleet/run.sh), prints the table, replaces the generated part
of docs/FLEET.md (between its markers) and draws one PNG per scenario of
the token endpoint's requests per second, before above after.

Usage: report.py BUILD_DIR FLEET_MD PNG_DIR"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402

SCENARIOS = ['power-cut', 'renewal', 'storm', 'warm']
BEGIN = '<!-- fleet:begin (tests/fleet/report.py writes this part) -->'
END = '<!-- fleet:end -->'



def seconds_or_never(value):
    """A storm figure in seconds, or 'never' (the simulator prints -1)."""
    return 'never' if value == '-1' else value + ' s'

def load(run_dir):
    runs = {}
    for name in sorted(os.listdir(run_dir)):
        if name.endswith('.txt'):
            with open(os.path.join(run_dir, name)) as f:
                line = f.read().strip()
            if not line:
                continue
            kv = dict(p.split('=', 1) for p in line.split())
            runs[(kv['loop'], int(kv['devices']), kv['scenario'], kv['build'])] = kv
    return runs


def hold(kv):
    t = float(kv['t99_s'])
    return 'never' if t < 0 else '%.0f s' % t


def late(kv):
    if int(kv['late']) == 0:
        return '0'
    return '%s (%s / %s / %s s)' % (kv['late'], kv['late_p50_s'], kv['late_p99_s'], kv['late_max_s'])


COLUMNS = [
    ('scenario', lambda k: k['scenario']),
    ('build', lambda k: k['build']),
    ('cap/s', lambda k: k['token_cap']),
    ('tok req/s mean', lambda k: k['mean_rate']),
    ('1-min peak/s', lambda k: k['peak_min_rate']),
    ('peak/mean', lambda k: k['ratio']),
    ('1-s peak', lambda k: k['peak_s']),
    ('refused', lambda k: k['refused']),
    ('99 % hold token', hold),
    ('calls failed', lambda k: k['calls_failed']),
    ('missed', lambda k: k['missed']),
    ('late (p50/p99/max)', late),
    ('req/dev/h', lambda k: k['req_dev_h']),
    ('never ok', lambda k: k['never_ok']),
]


LOOPS = [('fixed', 'a call on every minute of the boot'),
         ('sleep', 'a minute\'s sleep after each call')]


def groups(runs):
    """(loop, devices) pairs present, in report order."""
    for loop, _ in LOOPS:
        for n in sorted({k[1] for k in runs if k[0] == loop}, reverse=True):
            yield loop, n


def rows(runs, loop, n):
    for s in SCENARIOS:
        for b in ('before', 'after'):
            if (loop, n, s, b) in runs:
                yield runs[(loop, n, s, b)]


def markdown(runs):
    out = []
    for loop, n in groups(runs):
        first = next(iter(rows(runs, loop, n)))
        out.append('### %s devices, %s\n' % (format(n, ','), dict(LOOPS)[loop]))
        out.append('struct fwc_client: %s bytes, %s MiB for the fleet.\n' %
                   (first['client_bytes'], first['clients_mib']))
        out.append('| ' + ' | '.join(c[0] for c in COLUMNS) + ' |')
        out.append('|' + '---|' * len(COLUMNS))
        for kv in rows(runs, loop, n):
            out.append('| ' + ' | '.join(str(c[1](kv)) for c in COLUMNS) + ' |')
        out.append('')
        storms = [kv for kv in rows(runs, loop, n) if kv['scenario'] == 'storm']
        for kv in storms:
            out.append('- storm, %s: last refusal %s s after capacity returned, refusals back '
                       'at their level before the storm after %s; busiest minute '
                       'from 5 minutes after it on: %s x the mean.' %
                       (kv['build'], kv['storm_over_s'], seconds_or_never(kv['storm_back_s']),
                        kv['second_wave']))
        out.append('')
    return '\n'.join(out)


def console(runs):
    for loop, n in groups(runs):
        print('fleet: %s devices, %s' % (format(n, ','), dict(LOOPS)[loop]))
        table = [[c[0] for c in COLUMNS]] + [[str(c[1](kv)) for c in COLUMNS]
                                             for kv in rows(runs, loop, n)]
        widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
        for r in table:
            print('  ' + '  '.join(v.rjust(w) for v, w in zip(r, widths)))


def write_doc(path, body):
    text = open(path).read() if os.path.exists(path) else '# Fleet simulation\n'
    block = '%s\n\n%s\n%s' % (BEGIN, body.rstrip() + '\n', END)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + '\n\n' + block + '\n'
    with open(path, 'w') as f:
        f.write(text)


# ---- plots ---------------------------------------------------------------------

W, PANEL_H, LEFT, TOP = 800, 190, 70, 34


def minutes(path):
    """Per minute: mean requests/s, busiest second, refused/s."""
    with open(path) as f:
        data = [(int(r['token_requests']), int(r['token_refused'])) for r in csv.DictReader(f)]
    out = []
    for m in range(0, len(data) // 60):
        chunk = data[m * 60:(m + 1) * 60]
        out.append((sum(c[0] for c in chunk) / 60.0, max(c[0] for c in chunk),
                    sum(c[1] for c in chunk) / 60.0))
    return out


def capacity_at(kv, minute):
    """The token capacity in force in a minute (the storm's 5 % window)."""
    cap = int(kv['token_cap'])
    return cap * 5 // 100 if kv['scenario'] == 'storm' and 50 <= minute < 60 else cap


def panel(cv, y0, title, mins, kv, color):
    """Bars of one run. The y scale fits the minutes after the first 10
    (the boot would flatten everything else); taller bars are cut, with
    a black cap."""
    plot_w, plot_h = W - LEFT - 20, PANEL_H - 50
    later = max([m[0] for m in mins[10:]] or [1])
    cap = capacity_at(kv, 0)
    # A capacity far above the traffic (renewal) would flatten it: left out.
    top = max(later, cap if cap <= 3 * later else 0) * 1.15 or 1
    base = y0 + 24 + plot_h

    def y(v):
        return base - int(min(v, top) / top * plot_h)

    cv.text(LEFT, y0 + 4, title)
    for i, (mean, _peak, refused) in enumerate(mins):
        x, x_next = (LEFT + j * plot_w // len(mins) for j in (i, i + 1))
        x_end = max(x, x_next - 1)
        cv.rect(x, y(mean), x_end, base, color)
        if refused > 0:
            cv.rect(x, y(refused), x_end, base, (230, 120, 40))
        if mean > top:
            cv.rect(x, y(top), x_end, y(top) + 2, (0, 0, 0))
        if i % 4 < 2 and capacity_at(kv, i) <= top:  # dashes
            c = y(capacity_at(kv, i))
            cv.rect(x, c, x_end, c, (200, 0, 0))
    cv.rect(LEFT - 1, y0 + 24, LEFT - 1, base, (0, 0, 0))
    cv.hline(LEFT, LEFT + plot_w, base, (0, 0, 0))
    cv.text(4, y0 + 24, '%d/S' % round(top), scale=1)
    cv.text(4, base - 5, '0', scale=1)
    hours = len(mins) // 60
    for h in range(hours + 1):
        x = LEFT + h * 60 * plot_w // max(1, len(mins))
        cv.rect(x, base, x, base + 4, (0, 0, 0))
        cv.text(x - 4, base + 7, '%dH' % h, scale=1)


def plot(runs, run_dir, out_dir, loop, n):
    os.makedirs(out_dir, exist_ok=True)
    for s in SCENARIOS:
        keys = [(loop, n, s, b) for b in ('before', 'after') if (loop, n, s, b) in runs]
        if not keys:
            continue
        cv = png.Canvas(W, PANEL_H * len(keys) + 30)
        cv.text(LEFT, 8, '%s, %d devices, %s loop: token requests/s, 1-min mean; orange refused; '
                'red dashes capacity; black cap: cut bar' % (s, n, loop), scale=1)
        for i, k in enumerate(keys):
            kv = runs[k]
            mins = minutes(os.path.join(run_dir, '%s-%d-%s-%s.csv' % k))
            color = (120, 120, 120) if k[3] == 'before' else (40, 90, 200)
            title = '%s: peak/mean %s, refused %s' % (k[3], kv['ratio'], kv['refused'])
            panel(cv, 20 + i * PANEL_H, title, mins, kv, color)
        cv.save(os.path.join(out_dir, '%s-%s-%d.png' % (s, loop, n)))


def main():
    build_dir, doc, png_dir = sys.argv[1:4]
    run_dir = os.path.join(build_dir, 'runs')
    runs = load(run_dir)
    if not runs:
        sys.exit('report.py: no runs in %s' % run_dir)
    console(runs)
    write_doc(doc, markdown(runs))
    largest = max(k[1] for k in runs)
    for loop, _ in LOOPS:
        plot(runs, run_dir, png_dir, loop, largest)
    print('fleet: wrote %s and %s/*-%d.png' % (doc, png_dir, largest))


if __name__ == '__main__':
    main()
