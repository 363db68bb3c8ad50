"""Use cases the UI and the command line call; each call is one transaction.

How to use them:
- `workbook.open_workbook(path, staff_name, create=..., take_over_stale=...)` gives a
  `Workbook`; every other call takes it first. Check `wb.read_only` / `wb.notice` (who
  holds it, newer version...). Drive `wb.heartbeat()` every minute and
  `wb.backup_if_due()` every few minutes from timers; `wb.close()` on exit.
- Reads return domain dataclasses (`qidesk.domain.entities`) or small read models
  (`series.MeasureSeries`, `reviews.BoardRow`); no session ever leaves services.
- Writes take new records as dataclasses with `id=None` (`teams.add_team(wb, Team(...))`)
  or changes as keywords (`measures.update_measure(wb, id, name=...)`) and return a
  `ChangeSet` (`.id` is the new record's id; `.ids(kind)` what to refresh).
- Failures: `ValidationError` (message + field [+ row]); `PidConfirmationRequired`
  (ask, then call again with `confirm_pid=True`); `StorageError` subclasses for the
  user's environment (read-only, disk full, locked, damaged), all with plain messages.
"""
