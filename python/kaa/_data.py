"""Arrays into the shape the core reads: 2-D, C-contiguous, float32 or float64."""

import numpy as np

from ._core import DataError


def as_matrix(X, name="X"):
    """``X`` as a C-contiguous float32/float64 2-D array: such arrays pass through without a copy;
    any other dtype or memory layout is converted once, to float64 (float32 stays float32)."""
    if hasattr(X, "to_numpy"):  # pandas
        X = X.to_numpy()
    arr = np.asarray(X)
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise DataError(f"{name}: non-numeric values (dtype object)") from None
    if arr.dtype.kind not in "biuf":
        raise DataError(f"{name}: non-numeric dtype {arr.dtype}")
    if arr.ndim != 2:
        raise DataError(f"{name}: expected a 2-D array (rows = points), got shape {arr.shape}")
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    return np.ascontiguousarray(arr, dtype=dtype)
