"""Products with similar names: a content signal for the recommenders.

Catalogues name colour and size variants alike ("JUMBO BAG RED RETROSPOT", "JUMBO BAG PINK
POLKADOT"), and a customer who bought one often buys its siblings; a new product that few
have bought yet is still similar to its siblings by name. Titles become TF-IDF vectors of
character 2–4-grams within words (scikit-learn; works the same for Chinese, Thai or German
titles as for English, with no word splitting), and each product keeps its ``neighbours``
most similar products. A customer's score for a product sums its similarity to what they
bought. Used blended with a collaborative model (selection.py), never alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tradewinds.recommend.matrix import PurchaseMatrix


def title_similarity(
    titles: pd.Series, *, neighbours: int = 50, chunk: int = 1024
) -> sparse.csr_matrix:
    """Items x items cosine similarity of ``titles`` (in catalogue order), the top
    ``neighbours`` per row, zero diagonal."""
    text = titles.fillna("").astype(str).str.lower().to_numpy()
    n = len(text)
    if n == 0 or not any(text):
        return sparse.csr_matrix((n, n), dtype=np.float32)
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True
    ).fit_transform(text)
    k = min(neighbours, n - 1)
    parts = []
    for start in range(0, n, chunk):
        block = (vectors[start : start + chunk] @ vectors.T).toarray().astype(np.float32)
        block[np.arange(len(block)), np.arange(start, start + len(block))] = 0.0
        if k < n - 1:
            cut = np.argpartition(-block, k, axis=1)[:, k:]
            np.put_along_axis(block, cut, 0.0, axis=1)
        parts.append(sparse.csr_matrix(block))
    return sparse.vstack(parts).tocsr()


class TitleModel:
    def __init__(self, purchases: PurchaseMatrix, titles: pd.Series) -> None:
        """``titles``: product id -> title (products without one get no neighbours)."""
        self.purchases = purchases
        self.similarity = title_similarity(titles.reindex(purchases.items))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray((self.purchases.matrix[rows] @ self.similarity).todense())
