"""Writing news articles, their claims and quotes."""

from __future__ import annotations

import json
import sqlite3

from ilacs.extract.models import NewsArticle
from ilacs.store.values import date_text, enum_text


def insert_article(conn: sqlite3.Connection, sha256: str, article: NewsArticle) -> None:
    cursor = conn.execute(
        """
        INSERT INTO articles (document_sha256, title, source_url, publication_date, urns,
            mentioned_urns, visit_dates, inspectors)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            sha256, article.title, article.source_url, date_text(article.publication_date),
            json.dumps(list(article.urns)), json.dumps(list(article.mentioned_urns)),
            json.dumps([d.isoformat() for d in article.visit_dates]),
            json.dumps(list(article.inspectors), ensure_ascii=False),
        ),
    )
    article_id = cursor.lastrowid
    conn.executemany(
        """
        INSERT INTO claims (article_id, position, kind, urn, judgement, grade, previous_grade,
            intervention_type, action, partner_urn, person, when_printed, when_date,
            when_precision, evidence)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (article_id, position, claim.kind.value, claim.urn, claim.judgement,
             enum_text(claim.grade), enum_text(claim.previous_grade), claim.intervention_type,
             claim.action, claim.partner_urn, claim.person, claim.when_printed,
             date_text(claim.when), claim.when_precision, claim.evidence)
            for position, claim in enumerate(article.claims, start=1)
        ],
    )
    conn.executemany(
        "INSERT INTO quotes (article_id, position, speaker, role, text) VALUES (?, ?, ?, ?, ?)",
        [(article_id, position, quote.speaker, quote.role, quote.text)
         for position, quote in enumerate(article.quotes, start=1)],
    )
