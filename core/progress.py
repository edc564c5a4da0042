"""tqdm progress bars for services that report progress as (stage, done, total).

Services take a plain callable (`progress(stage, done, total)`) or an object with `phase(message, done, total)`
(the org sync's protocol); this adapter is both, so a command passes one object to any service. One bar per
stage; a new stage closes the previous bar. Bars go to stderr and switch themselves off when it is not a TTY.
"""

from __future__ import annotations

import sys

from tqdm import tqdm


class TqdmProgress:
    def __init__(self, *, disable: bool | None = None, leave: bool = False) -> None:
        self._bar: tqdm | None = None
        self._stage: str | None = None
        self._disable = disable if disable is not None else not sys.stderr.isatty()
        self._leave = leave

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = tqdm(total=total, desc=f"    {stage}", unit="", leave=self._leave, disable=self._disable,
                             file=sys.stderr, dynamic_ncols=True)
        if total is not None and self._bar.total != total:
            self._bar.total = total
        if done is not None:
            self._bar.n = done
            self._bar.refresh()

    phase = __call__

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __del__(self) -> None:
        self.close()
