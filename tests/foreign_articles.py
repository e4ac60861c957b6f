"""A German page-text article and a French HTML page, for runs beside the English seeds."""

from __future__ import annotations

from pathlib import Path

GERMAN_TXT = """Bundesregierung beschließt neues Schulgesetz

Die Bundesregierung hat am Donnerstag in Berlin ein neues Gesetz für die Schulen beschlossen. \
Bundeskanzler Olaf Scholz sagte, man werde die Mittel für die Schulen im kommenden Jahr deutlich \
erhöhen. „Das ist ein guter Tag für die Bildung“, sagte die Ministerin am 3. Juli. Die Opposition \
in München und Hamburg kritisierte den Plan als unzureichend.
"""

FRENCH_HTML = """<html lang="fr"><head><title>Le gouvernement annonce un plan pour les écoles</title>
<meta property="article:published_time" content="2025-07-03T10:00:00+02:00"></head>
<body><article><h1>Le gouvernement annonce un plan pour les écoles</h1>
<p>Le président Emmanuel Macron a annoncé jeudi à Paris un nouveau plan pour les écoles de France.
« Nous allons augmenter les moyens l'année prochaine », a déclaré le ministre de l'Éducation à Lyon.</p>
<p>Les syndicats de Marseille et de Toulouse ont jugé le plan insuffisant et appellent à une grève
le 15 septembre.</p>
</article></body></html>
"""


def write_foreign(folder: Path) -> dict[str, Path]:
    """The two articles as files in `folder`, by language."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schulgesetz.txt").write_text(GERMAN_TXT, encoding="utf-8")
    (folder / "ecoles.html").write_text(FRENCH_HTML, encoding="utf-8")
    return {"de": folder / "schulgesetz.txt", "fr": folder / "ecoles.html"}
