"""Writers turn a StoryBrief (facts chosen by code) into a DraftDigest (the wording).

Every writer implements `Writer`; `get_writer(name, settings)` builds one by name, from the
writers the plugins register (newsdistill.plugins). The verifier checks
whatever a writer returns before anything is published.
"""

from newsdistill.writers.base import Writer, get_writer, writer_names

__all__ = ["Writer", "get_writer", "writer_names"]
