"""Extension points of resource people that higher apps fill (``core.hooks``)."""

from immersio.core.hooks import Hook

#: After a confirmed entretien-métier whose slot has passed, what the candidate may do
#: next: each entry is called with ``(user, conversation)`` and returns a list of
#: ``{"label", "url"}`` (the journal offers to keep a trace of it in the carnet).
conversation_links: Hook = Hook("Suites proposées après un entretien-métier")
