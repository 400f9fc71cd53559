"""The quality report of one run: one self-contained HTML page with bar charts (inline SVG).

Charts: rows loaded and rejected by source; by reporter (file) for the files of
the run; flags by kind; PPKS persons per 1,000 inhabitants by kabupaten/kota (from
mart_ppks_region, the one definition of that figure).
Every file rejected whole is listed with its reason in Indonesian and what the
reporter should do. Bars and tables show labels (ppks.reporting.labels), not
codes. No scripts, no external resources: the page opens from the outbox as it is.

Not a Jinja2 template (Jinja2 comes with Prefect): the page is one short
f-string and every text from a file or the warehouse goes through
``html.escape``; a template would be worth it once the page grows sections.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

import duckdb

from ppks.reporting.labels import (
    file_reason_text,
    flag_label,
    reason_label,
    source_label,
    status_label,
)

BAR_H, GAP, LABEL_W, BAR_W = 18, 4, 300, 420


def _bars(title: str, rows: list[tuple], series: tuple[str, ...], colours: tuple[str, ...]) -> str:
    """Horizontal bars: rows are (label, value per series...), stacked."""
    esc = html.escape
    if not rows:
        return f"<h2>{esc(title)}</h2><p>(tidak ada data / no data)</p>"
    top = max(sum(float(v or 0) for v in r[1:]) for r in rows) or 1
    height = len(rows) * (BAR_H + GAP) + 24
    parts = [
        f'<svg width="{LABEL_W + BAR_W + 120}" height="{height}" role="img" '
        f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    for i, (label, *values) in enumerate(rows):
        y = i * (BAR_H + GAP)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 13}" text-anchor="end">{esc(str(label)[:48])}</text>'
        )
        x = LABEL_W
        for value, colour, name in zip(values, colours, series, strict=False):
            w = BAR_W * float(value or 0) / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}">'
                f"<title>{esc(name)}: {value}</title></rect>"
            )
            x += w
        total = " / ".join(_fmt(v) for v in values)
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{esc(total)}</text>')
    legend_y = height - 6
    for k, (name, colour) in enumerate(zip(series, colours, strict=False)):
        parts.append(
            f'<rect x="{LABEL_W + k * 140}" y="{legend_y - 10}" width="10" height="10" '
            f'fill="{colour}"/><text x="{LABEL_W + k * 140 + 14}" y="{legend_y}">'
            f"{esc(name)}</text>"
        )
    parts.append("</svg>")
    return f"<h2>{esc(title)}</h2>" + "".join(parts)


def _fmt(v) -> str:
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def _q(con, sql: str, params=None) -> list[tuple]:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.Error:
        return []


def per_1000_by_kabupaten(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(kabupaten/kota, PPKS persons per 1,000 inhabitants), highest first.

    Read from mart_ppks_region, the one definition (a person counts in the
    region of their golden record), so the report and the mart say the same.
    """
    return _q(
        con,
        """
        SELECT nama, per_1000 FROM mart_ppks_region
        WHERE tingkat = 'kabupaten_kota' AND ppks_kode = 'SEMUA'
          AND persons > 0 AND per_1000 IS NOT NULL
        ORDER BY per_1000 DESC, nama
        """,
    )


def _rejected_files(rows: list[tuple], feedback_links) -> str:
    """Each file rejected whole (or loaded with a remark): why, and what to do, in Indonesian."""
    if not rows:
        return ""
    esc = html.escape
    by_name = {Path(link).name: link for link in feedback_links}
    body = []
    for source, name, status, code, detail in rows:
        what, todo = file_reason_text(code, detail)
        link = by_name.get(f"{Path(name).stem} - ditolak.xlsx")
        sheet = f' (<a href="{esc(quote(link))}">umpan balik</a>)' if link else ""
        body.append(
            f"<tr><td>{esc(name)}{sheet}</td><td>{esc(source_label(source))}</td>"
            f"<td>{esc(status_label(status))}</td><td>{esc(what)}</td><td>{esc(todo)}</td>"
            f"<td><small>{esc(detail or '')}</small></td></tr>"
        )
    return (
        "<h2>Berkas ditolak atau dengan catatan / rejected files</h2>"
        "<table><tr><th>berkas</th><th>jenis</th><th>status</th><th>alasan</th>"
        "<th>yang perlu dilakukan</th><th>keterangan teknis</th></tr>" + "".join(body) + "</table>"
    )


def render(con: duckdb.DuckDBPyConnection, run_id: str, feedback_links: list[str] = ()) -> str:
    esc = html.escape
    by_source = _q(
        con,
        """
        SELECT source, sum(rows_loaded), sum(rows_rejected) FROM ingest_file
        WHERE run_id = ? AND status IN ('loaded', 'superseded') GROUP BY 1 ORDER BY 1
        """,
        [run_id],
    )
    by_reporter = _q(
        con,
        """
        SELECT upper(source) || ' · ' || source_file, rows_loaded, rows_rejected FROM ingest_file
        WHERE run_id = ? AND status IN ('loaded', 'superseded')
        ORDER BY rows_rejected DESC, rows_loaded DESC, source_file LIMIT 40
        """,
        [run_id],
    )
    flags = _q(
        con,
        """
        SELECT flag, count(*) FROM (SELECT unnest(flags) AS flag FROM source_record
        WHERE run_id = ?) GROUP BY 1 ORDER BY 2 DESC, 1
        """,
        [run_id],
    )
    reasons = _q(
        con,
        """
        SELECT reason, count(*) FROM (SELECT unnest(reasons) AS reason FROM rejected_row
        WHERE run_id = ?) GROUP BY 1 ORDER BY 2 DESC
        """,
        [run_id],
    )
    per_1000 = per_1000_by_kabupaten(con)
    files = _q(
        con,
        "SELECT status, count(*) FROM ingest_file WHERE run_id = ? GROUP BY 1 ORDER BY 1",
        [run_id],
    )
    remarked = _q(
        con,
        """
        SELECT source, source_file, status,
               coalesce(reason_code, CASE WHEN rows_below_blank > 0 THEN 'rows_below_blank' END),
               reason
        FROM ingest_file
        WHERE run_id = ?
          AND (status = 'rejected' OR reason_code IS NOT NULL OR rows_below_blank > 0)
        ORDER BY status DESC, source, source_file
        """,
        [run_id],
    )
    by_source = [(source_label(s), *v) for s, *v in by_source]
    reasons = [(reason_label(r), n) for r, n in reasons]
    flags = [(flag_label(f), n) for f, n in flags]
    run = _q(con, "SELECT started_at, finished_at, status FROM run_log WHERE run_id = ?", [run_id])
    head = (
        f"<p>Mulai / started {esc(str(run[0][0]))}, selesai / finished {esc(str(run[0][1]))}, "
        f"status {esc(str(run[0][2]))}</p>"
        if run
        else ""
    )
    file_table = "".join(f"<tr><td>{esc(status_label(s))}</td><td>{n}</td></tr>" for s, n in files)
    rejected_table = _rejected_files(remarked, feedback_links)
    links = "".join(
        f'<li><a href="{esc(quote(link))}">{esc(Path(link).name)}</a></li>'
        for link in feedback_links
    )
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<title>Laporan mutu data PPKS — run {esc(run_id)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1000px}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px}}</style>
</head><body>
<h1>Laporan mutu data PPKS — run <code>{esc(run_id)}</code></h1>
{head}
<h2>Berkas / files</h2><table><tr><th>status</th><th>berkas</th></tr>{file_table}</table>
{rejected_table}
{
        _bars(
            "Baris per sumber / rows by source",
            by_source,
            ("dimuat", "ditolak"),
            ("#4e79a7", "#e15759"),
        )
    }
{
        _bars(
            "Baris per pelapor (berkas) / rows by reporter",
            by_reporter,
            ("dimuat", "ditolak"),
            ("#4e79a7", "#e15759"),
        )
    }
{_bars("Alasan penolakan / reject reasons", reasons, ("baris",), ("#e15759",))}
{_bars("Catatan per jenis / flags by kind", flags, ("baris",), ("#f28e2b",))}
{_bars("PPKS per 1.000 penduduk per kabupaten/kota", per_1000, ("per 1.000",), ("#59a14f",))}
<h2>Umpan balik untuk pelapor / feedback workbooks</h2><ul>{links or "<li>-</li>"}</ul>
</body></html>
"""
