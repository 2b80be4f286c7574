"""The interface distilling calls to word a story. Writers (newsdistill.writers) implement it;
distilling never imports them: the caller hands it the writer and the fallback."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from newsdistill.models import DraftDigest, DraftSentence, StoryBrief, WriterRun


class Writer(Protocol):
    """Words a story. Must only use the brief's evidence, citing evidence numbers per sentence."""

    name: str

    def write(self, brief: StoryBrief) -> DraftDigest:
        """Return the whole draft digest. Raise WriterError when the back-end fails."""
        ...

    def revise(self, brief: StoryBrief, sentence: DraftSentence, reason: str) -> DraftSentence:
        """Reword one sentence the verifier rejected, given its reason. May raise WriterError."""
        ...


@runtime_checkable
class RecordsRuns(Protocol):
    """A writer that keeps a record of its model's jobs and calls (see WriterRun)."""

    def last_run(self) -> WriterRun | None:
        """The record of the story last written, including the revisions asked since."""
        ...
