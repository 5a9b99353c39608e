"""The pages of conventions: ``drafts`` (writing and sending a draft), ``signature`` (the
signatory's personal link: read, sign, decline, ask for a change, download), ``review``
(the prescriber's space: list, detail, decisions)."""
