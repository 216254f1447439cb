"""One search on the PostgreSQL backend as one statement with bounded ranking.

The statement (:func:`search_statement`) makes one pass over the GIN bitmap of the
query's condition (visibility and filters inside it) into a materialised set of narrow
rows — ``id``, the facet columns, the date and two cheap ranking signals — and answers
everything from that set:

* the **total and the facet counts** are one ``GROUPING SETS`` over all matches: exact;
* the **candidates** are the matches that can reach the requested page.  By relevance,
  the matches are put in a cheap order — first the number of unquoted terms a match
  holds exactly (the bonus every score adds, which outweighs ``ts_rank``), then how
  many ranking words occur in its title (title words weigh ten times body words in
  ``ts_rank``), then the newest, then the lowest id — and cut into blocks of
  :data:`CANDIDATES`; the result is ordered by block, then by score.  Page 1 is thus
  the best-ranked of the first block's candidates, deeper pages rank later blocks only
  when they reach them, and every match appears on exactly one page.  With no more
  than :data:`CANDIDATES` matches there is one block and the order is exactly the
  unbounded one.  By date: every match dated on or after the page's last date, so the
  page is exact whatever the scores;
* only the **candidates** are ranked (``ts_rank`` reads each one's word vector, the
  cost that grew with the number of matches).

The one-row result carries the facets and the page as JSON (:func:`parse_result`).
"""

from __future__ import annotations

from datetime import date

from indexer.backend import SearchRequest
from indexer.pg_query import Sql
from indexer.pg_schema import DOCS, compact

CANDIDATES = 500
MATCH_COLUMNS = "id, agency_id, doc_type, year, issued_on, title_compact"
PAGE_COLUMNS = "d.id, d.title, d.agency_id, d.agency_name, d.doc_type, d.issued_on, d.content"
FACET_SETS = "GROUPING SETS ((agency_id), (doc_type), (year), ())"
# GROUPING(agency_id, doc_type, year): a bit for each column a row does not group by.
FACET_GROUPS = {3: "agency", 5: "doc_type", 6: "year", 7: "total"}


def _in_title(sql: Sql, words: list[str]) -> str:
    needles = [needle for needle in dict.fromkeys(compact(word) for word in words) if needle]
    if not needles:
        return "0"
    return " + ".join(f"(strpos(title_compact, {sql.bind(n)}) > 0)::int" for n in needles)


def _candidates(request: SearchRequest, ranked: bool) -> tuple[str, str]:
    """The candidate set's ``SELECT`` (with a ``block`` column) and the page's order."""
    wanted = (request.page - 1) * request.per_page + request.per_page
    if request.sort == "date":
        boundary = (
            "(SELECT issued_on FROM matches ORDER BY issued_on DESC NULLS LAST, id "
            f"OFFSET {wanted - 1} LIMIT 1)"
        )
        # Rows dated after the page's last date, or on it; every row when the page
        # reaches the undated rows (or holds all matches).
        select = (
            f"SELECT *, 0 AS block FROM matches WHERE {boundary} IS NULL "
            f"OR issued_on >= {boundary}"
        )
        return select, "m.issued_on DESC NULLS LAST, score DESC, m.id"
    if not ranked:
        return "SELECT *, 0 AS block FROM matches", "score DESC, m.id"
    # Blocks of CANDIDATES matches in the cheap order, each ranked by score: the order
    # is total, so paging past the first block shows every match exactly once.
    cheap = "bonus DESC, in_title DESC, issued_on DESC NULLS LAST, id"
    limit = CANDIDATES * -(-wanted // CANDIDATES)
    select = (
        f"SELECT *, (row_number() OVER (ORDER BY {cheap}) - 1) / {CANDIDATES} AS block "
        f"FROM (SELECT * FROM matches ORDER BY {cheap} LIMIT {limit}) AS best"
    )
    return select, "m.block, score DESC, m.id"


def search_statement(
    sql: Sql, request: SearchRequest, matching: str, ranking: str | None,
    bonus: str | None, title_words: list[str],
) -> str:
    """The statement answering ``request`` (see the module docstring); ``matching`` is
    the set query of :data:`MATCH_COLUMNS` of every visible match, ``ranking`` the
    ``tsquery`` text of the ranking words, ``bonus`` the exact-match bonus expression."""
    rank = f"ts_rank(d.words, CAST({sql.bind(ranking)} AS tsquery), 1)" if ranking else "0.0"
    candidates, order = _candidates(request, ranking is not None)
    counts = (
        "SELECT GROUPING(agency_id, doc_type, year) AS g, agency_id, doc_type, year, "
        f"count(*) AS n FROM matches GROUP BY {FACET_SETS}"
        if request.facets
        else "SELECT 7 AS g, NULL AS agency_id, NULL AS doc_type, NULL AS year, "
        "count(*) AS n FROM matches"
    )
    offset = (request.page - 1) * request.per_page
    return f"""
WITH matches AS MATERIALIZED (
    SELECT id, agency_id, doc_type, year, issued_on,
           {bonus or "0"} AS bonus, {_in_title(sql, title_words)} AS in_title
    FROM ({matching}) AS found),
counts AS ({counts}),
candidates AS ({candidates}),
page AS (
    SELECT {PAGE_COLUMNS}, {rank} + m.bonus AS score, m.block
    FROM candidates m JOIN {DOCS} d ON d.id = m.id
    ORDER BY {order} LIMIT {int(request.per_page)} OFFSET {int(offset)})
SELECT (SELECT json_agg(json_build_array(g, agency_id, doc_type, year, n)) FROM counts)
           AS counts,
       (SELECT json_agg(page ORDER BY {order.replace("m.", "page.")}) FROM page)
           AS hits"""


def parse_result(row, facets: bool) -> tuple[int, list[dict], dict[str, dict]]:
    """The total, the page's rows (dicts with the hit columns) and the facet counts."""
    total, found = 0, {"agency": {}, "doc_type": {}, "year": {}}
    for group, agency_id, doc_type, year, count in row.counts or []:
        kind = FACET_GROUPS.get(group)
        if kind == "total":
            total = int(count)
        elif kind == "agency":
            found["agency"][int(agency_id)] = int(count)
        elif kind == "doc_type" and doc_type:
            found["doc_type"][str(doc_type)] = int(count)
        elif kind == "year" and year:
            found["year"][int(year)] = int(count)
    hits = []
    for hit in row.hits or []:
        issued = hit["issued_on"]
        hits.append({**hit, "issued_on": date.fromisoformat(issued) if issued else None})
    return total, hits, (found if facets else {})

