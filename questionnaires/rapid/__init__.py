"""Rapid questionnaires after an incident in the chain (DESIGN §13 item 6): `services` (start,
the sending job, completion, reminders), `selectors` (the live board), `exports` (spreadsheet
and the board's one-page PDF), `views` and `api`."""
