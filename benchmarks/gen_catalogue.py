"""A synthetic streaming catalogue: N titles plus an episodes table (about 8.5 per title).

    .venv/bin/python benchmarks/gen_catalogue.py N OUTDIR [--format csv|parquet|both]

Writes OUTDIR/titles.csv and OUTDIR/episodes-001.csv, -002... (500,000 episodes per file,
since one input may be at most 100 MiB), and/or the .parquet twins. Seeded and
deterministic: the same N gives the same bytes. About 1% of rows carry a defect of the kind a
real catalogue has (an empty or placeholder title, a rating out of range, a duplicated title
and year, an episode count that disagrees with the episodes listed, a sentinel or reversed air
date, a duplicated synopsis, stray white space, a skipped episode number), so that the rules
have real work and the findings can be compared between versions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

WORDS = ("night harbour river glass winter signal cold garden silent road storm paper house city "
         "blue last long fire north light island market letter brother sister council village "
         "inquiry lantern border mountain orchard station engine circle mirror shadow").split()
TITLE_COLUMNS = ["id", "title", "type", "year", "status", "episode_count", "season_count",
                 "premiere_date", "rating", "votes", "genres"]
# One input may be at most 100 MiB: a million titles' episodes come as several files.
PART_ROWS = 500_000
EPISODE_COLUMNS = ["id", "season", "episode_number", "episode_title", "air_date", "synopsis"]


def _phrase(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(WORDS, k=k))


def generate(n: int, seed: int = 11, episodes_too: bool = True):
    """(title rows, episode rows) as lists of lists of str, in column order."""
    rng = random.Random(seed)
    titles: list[list[str]] = []
    episodes: list[list[str]] = []
    base = dt.date(1990, 1, 1)
    for i in range(n):
        ident = f"t{i + 1}"
        series = rng.random() < 0.8
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i + 1}"
        year = 1990 + rng.randrange(35)
        premiere = base.replace(year=year) + dt.timedelta(days=rng.randrange(300))
        defect = rng.random()
        count = 0
        if series:
            seasons = 1 + (rng.random() < 0.52)
            per_season = [rng.randint(5, 9) for _ in range(seasons)]
            count = sum(per_season)
            day = premiere
            number_in_list = 0
            for season, size in enumerate(per_season, start=1):
                for number in range(1, size + 1):
                    number_in_list += 1
                    shown = number
                    if defect < 0.001 and number == 3:
                        shown = 4  # an episode number skipped/repeated
                    air = day.isoformat()
                    if defect >= 0.001 and defect < 0.002 and number == size:
                        air = "1900-01-01"  # a sentinel date
                    synopsis = f"The {_phrase(rng, 2)} of {name.split()[0]} meets a {_phrase(rng, 6)}."
                    if not episodes_too:
                        continue
                    if 0.002 <= defect < 0.003 and number == 2:
                        synopsis = episodes[-1][5]  # a synopsis copied from the episode before
                    episodes.append([ident, str(season), str(shown),
                                     f"Chapter {number_in_list}: The {rng.choice(WORDS).title()}", air,
                                     synopsis])
                    day += dt.timedelta(days=7)
        stated = count
        if 0.003 <= defect < 0.004 and series:
            stated = count + 2  # the stated count disagrees with the episodes listed
        rating = f"{rng.uniform(3, 9.5):.1f}"
        if 0.004 <= defect < 0.005:
            rating = "12.5"  # out of the 0-10 range
        title = name
        if 0.005 <= defect < 0.006:
            title = ""  # missing
        elif 0.006 <= defect < 0.007:
            title = "TBA"  # placeholder
        elif 0.007 <= defect < 0.008:
            title = name + " "  # stray white space
        if 0.008 <= defect < 0.009 and titles:
            # the same title and year listed twice under another id
            title, year = titles[-1][1], int(titles[-1][3])
        # Running only when the newest episode is recent, but for the 0.1% that contradict it.
        status = ("Running" if year >= 2024 or 0.009 <= defect < 0.010 else "Ended") if series else ""
        titles.append([
            ident, title, "TV Series" if series else "Movie", str(year), status,
            str(stated) if series else "", str(seasons) if series else "", premiere.isoformat(), rating, str(rng.randint(10, 90000)),
            rng.choice(["Drama", "Comedy, Drama", "Documentary", "Crime, Thriller"]),
        ])
    return titles, episodes


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def _write_parquet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    columns = list(zip(*rows)) if rows else [[] for _ in header]
    pq.write_table(pa.table({name: pa.array(list(values), pa.string())
                             for name, values in zip(header, columns)}), path)


def write(n: int, outdir: Path, formats: tuple[str, ...] = ("csv", "parquet"),
          part_rows: int = PART_ROWS) -> dict[str, list[Path]]:
    """Write the catalogue; the episodes table is split into parts of `part_rows` rows."""
    outdir.mkdir(parents=True, exist_ok=True)
    titles, episodes = generate(n)
    written: dict[str, list[Path]] = {}
    for fmt in formats:
        writer = _write_csv if fmt == "csv" else _write_parquet
        paths = [outdir / f"titles.{fmt}"]
        writer(paths[0], TITLE_COLUMNS, titles)
        for part, start in enumerate(range(0, max(len(episodes), 1), part_rows), start=1):
            paths.append(outdir / f"episodes-{part:03d}.{fmt}")
            writer(paths[-1], EPISODE_COLUMNS, episodes[start:start + part_rows])
        written[fmt] = paths
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--format", choices=["csv", "parquet", "both"], default="both")
    args = parser.parse_args()
    formats = ("csv", "parquet") if args.format == "both" else (args.format,)
    for fmt, paths in write(args.n, args.outdir, formats).items():
        print(fmt, *(f"{p} ({p.stat().st_size / 1e6:.1f} MB)" for p in paths))


if __name__ == "__main__":
    main()
