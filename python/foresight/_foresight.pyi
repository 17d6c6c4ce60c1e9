"""Type hints of the engine's extension module (python/src/lib.rs). Use the
package's own functions (foresight.load, run, stream) rather than these."""

from typing import Any, Iterator, Optional

import numpy as np
import numpy.typing as npt

VERSION: str

class ForesightError(Exception):
    """A scenario or experiment is not valid, or overrides do not fit it.
    ``str(e)`` is what ``foresight validate`` prints."""

    problems: list[dict[str, Any]]

class Stream:
    def __iter__(self) -> Iterator[tuple[int, npt.NDArray[np.float64]]]: ...
    def __next__(self) -> tuple[int, npt.NDArray[np.float64]]: ...
    @property
    def result(self) -> Optional[tuple[int, list[float]]]: ...

class Loaded:
    name: str
    description: str
    source: str
    plain: bool
    seed: int
    replications: int
    scenarios: list[str]
    policies: list[str]
    regions: list[str]
    horizon_weeks: int
    cells: int
    indicators: list[str]
    uncertainties_json: str
    thresholds_json: str
    samples: npt.NDArray[np.float64]
    def run(self, threads: Optional[int] = None) -> dict[str, Any]: ...
    def run_cells(
        self,
        cells: list[tuple[int, int, list[float], list[tuple[str, str]], int, int]],
        threads: Optional[int] = None,
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float64]]: ...
    def stream(self, scenario: int, policy: int, sample: int, replication: int) -> Stream: ...

def load(
    *,
    path: Optional[str] = None,
    text: Optional[str] = None,
    source: str = "<dict>",
    base_dir: Optional[str] = None,
    seed: Optional[int] = None,
    replications: Optional[int] = None,
    overrides: list[tuple[str, str]] = ...,
) -> Loaded: ...
def headlines() -> list[tuple[str, str, str]]: ...
