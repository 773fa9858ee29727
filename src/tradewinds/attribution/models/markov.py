"""Markov-chain attribution with exact removal effects.

Each path is a walk ``(start) -> s1 -> ... -> sm -> (conversion)|(null)`` where a state is
the last ``order`` channels touched (for ``order=1``, simply the channel). Transition
probabilities are the observed transition counts, weighted by how many journeys took each
path. The chain is absorbing, so the probability of ending in ``(conversion)`` from
``(start)`` solves one sparse linear system ``(I - Q) x = b`` — no simulation.

The *removal effect* of channel ``c`` is the share of conversions lost when every state that
contains ``c`` sends its journeys to ``(null)`` instead: ``1 - P(conv without c) / P(conv)``.
Conversions (and value) are then shared out in proportion to the removal effects.

Self-transitions (``a > a``) are dropped: they delay a journey but do not change where it
ends, so they have no effect on removal effects.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from tradewinds.attribution.pathtable import ChannelCredit, PathTable

MAX_ORDER = 4
START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"


@dataclass(frozen=True)
class MarkovChain:
    """The fitted chain: states ``0..n_states-1`` are channel states, then start/conv/null."""

    order: int
    channels: tuple[str, ...]
    state_digits: np.ndarray  # (n_states, order): channel code + 1, 0 where the state is short
    counts: sp.csr_matrix  # (n_states + 3) square, weighted transition counts
    value_out: np.ndarray  # conversion value leaving each state into (conversion)

    @property
    def n_states(self) -> int:
        return len(self.state_digits)

    def state_labels(self) -> list[str]:
        labels = []
        for digits in self.state_digits:
            names = [self.channels[d - 1] for d in digits[::-1] if d > 0]
            labels.append(" > ".join(names))
        return [*labels, START, CONVERSION, NULL]

    def transition_probabilities(self) -> sp.csr_matrix:
        rows = np.asarray(self.counts.sum(axis=1)).ravel()
        inv = np.divide(1.0, rows, out=np.zeros_like(rows), where=rows > 0)
        return sp.diags(inv) @ self.counts

    def transitions(self) -> list[tuple[str, str, float]]:
        """Every observed transition as ``(from, to, probability)``."""
        labels = self.state_labels()
        p = self.transition_probabilities().tocoo()
        return [
            (labels[i], labels[j], float(v)) for i, j, v in zip(p.row, p.col, p.data, strict=True)
        ]


@dataclass(frozen=True)
class MarkovResult:
    credit: ChannelCredit
    removal_effects: np.ndarray  # per channel, share of conversions lost without it
    removal_effects_value: np.ndarray  # the same for conversion value
    conversion_probability: float
    chain: MarkovChain


DENSE_LIMIT = 1 << 24  # code spaces up to this size are indexed with a lookup array


def _encode_states(table: PathTable, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Per path, the sequence of state codes; returns (codes, path index of each code)."""
    lengths = table.lengths
    base = table.n_channels + 1
    if base**order >= 2**62:
        raise ValueError("too many channels for this Markov order")
    path_index = table.path_index
    digit = table.touches.astype(np.int64) + 1
    if order == 1:
        return digit, path_index
    pos = np.arange(len(table.touches)) - np.repeat(table.offsets[:-1], lengths)
    code = digit.copy()
    for j in range(1, order):
        shifted = np.zeros_like(digit)
        shifted[j:] = digit[:-j]
        code += np.where(pos >= j, shifted, 0) * base**j
    path_len = lengths[path_index]
    is_state = (pos >= order - 1) | ((path_len < order) & (pos == path_len - 1))
    return code[is_state], path_index[is_state]


def _dense_ids(codes: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Like ``np.unique(codes, return_inverse=True)``, in linear time for small spaces."""
    if space <= DENSE_LIMIT:
        present = np.zeros(space, dtype=bool)
        present[codes] = True
        uniq = np.flatnonzero(present)
        lookup = np.cumsum(present) - 1
        return uniq, lookup[codes]
    uniq, inverse = np.unique(codes, return_inverse=True)
    return uniq, inverse.reshape(-1)


def fit_chain(table: PathTable, *, order: int = 1) -> MarkovChain:
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"Markov order must be between 1 and {MAX_ORDER}")
    codes, pid = _encode_states(table, order)
    boundary = np.ones(len(codes) + 1, dtype=bool)  # True where a new path starts
    boundary[1:-1] = pid[1:] != pid[:-1]
    # drop repeated states (self-transitions)
    repeat = np.zeros(len(codes), dtype=bool)
    repeat[1:] = (codes[1:] == codes[:-1]) & ~boundary[1:-1]
    if repeat.any():
        keep = ~repeat
        codes, pid = codes[keep], pid[keep]
        boundary = np.ones(len(codes) + 1, dtype=bool)
        boundary[1:-1] = pid[1:] != pid[:-1]
    base = table.n_channels + 1
    uniq, state = _dense_ids(codes, base**order)
    s = len(uniq)
    size = s + 3
    start, conv, null = s, s + 1, s + 2
    weight = table.conversions + table.nulls
    first = boundary[:-1]
    last = boundary[1:]
    prev = np.empty_like(state)
    if len(state):
        prev[0] = start
        prev[1:] = state[:-1]
    prev[first] = start
    end_state = state[last]
    end_path = pid[last]
    rows = np.concatenate([prev, end_state, end_state])
    cols = np.concatenate([state, np.full(len(end_state), conv), np.full(len(end_state), null)])
    w = np.concatenate([weight[pid], table.conversions[end_path], table.nulls[end_path]])
    if size * size <= DENSE_LIMIT:
        dense = np.bincount(rows * size + cols, weights=w, minlength=size * size).astype(float)
        counts = sp.csr_matrix(dense.reshape(size, size))
    else:
        nz = w > 0
        counts = sp.coo_matrix(
            (w[nz].astype(float), (rows[nz], cols[nz])), shape=(size, size)
        ).tocsr()
        counts.sum_duplicates()
    counts.eliminate_zeros()
    value_out = np.bincount(end_state, weights=table.value[end_path], minlength=s).astype(float)
    digits = np.stack([(uniq // base**j) % base for j in range(order)], axis=1).astype(np.int64)
    return MarkovChain(order, table.channels, digits.reshape(s, order), counts, value_out)


DIRECT_SOLVE_LIMIT = 2000  # states; larger chains use an iterative Krylov solver
ITERATIVE_RTOL = 1e-12


def _solve_start(a: sp.csr_matrix, rhs: np.ndarray, start: int) -> np.ndarray:
    """Solve ``a x = rhs`` (one column per right-hand side) and return row ``start``.

    Small systems use sparse LU (``spsolve``). Higher-order chains over many channels are
    expanders whose LU fills in completely, so they are solved with BiCGSTAB to a relative
    residual of 1e-12 and checked; LU is the fallback if that does not converge.
    """
    if a.shape[0] <= DIRECT_SOLVE_LIMIT:
        x = np.asarray(spla.spsolve(a.tocsc(), rhs)).reshape(a.shape[0], -1)
        return x[start]
    out = np.zeros(rhs.shape[1])
    for k in range(rhs.shape[1]):
        b = np.ascontiguousarray(rhs[:, k])
        norm = np.linalg.norm(b)
        if norm == 0:
            continue
        x, info = spla.bicgstab(a, b, rtol=ITERATIVE_RTOL, atol=0.0, maxiter=20_000)
        if info != 0 or np.linalg.norm(a @ x - b) > 1e-10 * norm:
            x = spla.spsolve(a.tocsc(), b)
        out[k] = x[start]
    return out


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """The solves are sequences of small vector operations: BLAS threads only fight over
    cores (badly so on a busy machine), so they run single-threaded."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def removal_effects(chain: MarkovChain) -> tuple[np.ndarray, np.ndarray, float]:
    """Exact removal effects for conversions and value, and P(conversion) from start."""
    with _one_blas_thread():
        return _removal_effects(chain)


def _removal_effects(chain: MarkovChain) -> tuple[np.ndarray, np.ndarray, float]:
    s = chain.n_states
    size = s + 1  # channel states + start
    counts = chain.counts
    out = np.asarray(counts.sum(axis=1), dtype=float).ravel()[:size]
    inv = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    p = sp.diags(inv) @ counts[:size]
    q = p[:, :size]
    b_conv = np.asarray(p[:, s + 1].todense()).ravel()
    b_value = np.zeros(size)
    b_value[:s] = chain.value_out * inv[:s]
    rhs = np.column_stack([b_conv, b_value])
    system = (sp.identity(size, format="csr") - q).tocsr()
    full = _solve_start(system, rhs, s)
    n_ch = len(chain.channels)
    re_conv = np.zeros(n_ch)
    re_value = np.zeros(n_ch)
    for c in range(n_ch):
        member = (chain.state_digits == c + 1).any(axis=1)
        if not member.any():
            continue
        keep = np.concatenate([~member, [True]])
        idx = np.flatnonzero(keep)
        sub = system[idx][:, idx]
        without = _solve_start(sub, rhs[idx], len(idx) - 1)
        if full[0] > 0:
            re_conv[c] = 1.0 - without[0] / full[0]
        if full[1] > 0:
            re_value[c] = 1.0 - without[1] / full[1]
    return np.clip(re_conv, 0.0, 1.0), np.clip(re_value, 0.0, 1.0), float(full[0])


def _share(total: float, weights: np.ndarray) -> np.ndarray:
    denom = weights.sum()
    if denom <= 0:
        return np.zeros_like(weights)
    return total * weights / denom


def markov(table: PathTable, *, order: int = 1) -> MarkovResult:
    """Attribute conversions and value by exact removal effects of an order-``order`` chain."""
    chain = fit_chain(table, order=order)
    if table.n_paths == 0 or table.conversions.sum() == 0:
        zeros = np.zeros(table.n_channels)
        return MarkovResult(
            ChannelCredit(table.channels, zeros, zeros.copy()),
            zeros.copy(),
            zeros.copy(),
            0.0,
            chain,
        )
    re_conv, re_value, p_conv = removal_effects(chain)
    credit = ChannelCredit(
        table.channels,
        _share(float(table.conversions.sum()), re_conv),
        _share(float(table.value.sum()), re_value),
    )
    return MarkovResult(credit, re_conv, re_value, p_conv, chain)
