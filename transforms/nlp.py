"""One spaCy pass per batch: entity spans and sentence boundaries for every article.

Every later enrich step (entities, temporal candidates, quotes, discrepancies)
reads these two frames instead of running spaCy again, so the NER model is the
only heavy cost of the enrich step.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from spacy.language import Language

# NER and the sentence recogniser embed on their own in the small English
# pipelines; the tagger, parser, lemmatizer and attribute ruler are not needed
# and roughly halve throughput.
_EXCLUDED = ["tagger", "parser", "lemmatizer", "attribute_ruler"]

SPAN_COLUMNS = ["article_id", "start", "end", "text", "label", "sentence_index"]
SENTENCE_COLUMNS = ["article_id", "sentence_index", "start", "end"]


@lru_cache(maxsize=4)
def load_pipeline(model_name: str) -> Language:
    """The NER + sentence-recogniser pipeline of `model_name` (cached per process)."""
    import spacy

    nlp = spacy.load(model_name, exclude=_EXCLUDED, disable=[])
    _drop_unheard_embeddings(nlp)
    _multiply_with_numpy(nlp)
    if "senter" in nlp.pipe_names or "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def _drop_unheard_embeddings(nlp: Language) -> None:
    """Remove shared embedding components no remaining component listens to.

    In the small English pipelines the shared `tok2vec` feeds only the tagger
    and parser; NER and the sentence recogniser embed on their own, so once
    those are excluded the shared one costs about a quarter of the run for
    output nobody reads.
    """
    for name in list(nlp.pipe_names):
        listening = getattr(nlp.get_pipe(name), "listening_components", None)
        if listening is not None and not listening:
            nlp.remove_pipe(name)


def _multiply_with_numpy(nlp: Language) -> None:
    """Run the models' matrix products through numpy's BLAS instead of thinc's bundled BLIS.

    BLIS picks its kernel by CPU model and falls back to a generic C loop on models it does
    not know (an AMD Zen 5: 38 GFLOPS against 122 for OpenBLAS's AVX2 kernels, one core);
    numpy's OpenBLAS chooses by instruction set (or as OPENBLAS_CORETYPE says). The products
    are the same up to float rounding: 688 articles gave identical entities and sentences, NER
    a fifth sooner. With several NER processes each should keep BLAS to one thread
    (`limit_blas_threads`), or their threads contend for the cores.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:  # disabled ones too: the sentence recogniser is enabled later
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def limit_blas_threads() -> None:
    """One BLAS thread in this process: for each of several processes sharing the cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def annotate(
    articles: pd.DataFrame,
    nlp: Language,
    batch_size: int = 64,
    n_process: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run `nlp` over `articles.body`; return (spans, sentences).

    spans: article_id, start, end, text, label, sentence_index (character offsets into body)
    sentences: article_id, sentence_index, start, end
    """
    span_rows: list[tuple] = []
    sentence_rows: list[tuple] = []
    ids = articles["article_id"].tolist()
    bodies = [b if isinstance(b, str) else "" for b in articles["body"].tolist()]
    docs = nlp.pipe(bodies, batch_size=batch_size, n_process=n_process)
    for article_id, doc in zip(ids, docs, strict=True):
        sentence_starts: list[int] = []
        for index, sent in enumerate(doc.sents):
            sentence_rows.append((article_id, index, sent.start_char, sent.end_char))
            sentence_starts.append(sent.start)
        for ent in doc.ents:
            index = _sentence_of(sentence_starts, ent.start)
            span_rows.append((article_id, ent.start_char, ent.end_char, ent.text, ent.label_, index))
    spans = pd.DataFrame(span_rows, columns=SPAN_COLUMNS)
    sentences = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    return spans, sentences


def _sentence_of(sentence_starts: list[int], token_index: int) -> int:
    """Index of the sentence containing token `token_index` (starts are sorted)."""
    import bisect

    return max(bisect.bisect_right(sentence_starts, token_index) - 1, 0)
