"""generate stage: synthetic inboxes (TKSK, PSM, SLRT files) with their ground truth.

``generate_inbox(out, persons, seed)`` writes ``out/inbox/`` and ``out/truth/``
as docs/contracts.md describes; see ``inbox.py``.
"""

from ppks_generator.write_inbox import generate_inbox

__all__ = ["generate_inbox"]
